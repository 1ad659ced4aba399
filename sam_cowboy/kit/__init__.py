"""The facilitator's kit: printable handouts and certificates of completion, as HTML."""
