"""Widgets of the terminal app: cards, posture gauges, choice list, key bar."""
