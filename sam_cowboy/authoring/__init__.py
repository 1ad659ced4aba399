"""Tools for trainers who write episodes: scaffold, graph, randomtest, stats, schema, Twee
import and translation round-trips. Everything here drives `sam_cowboy.core`; nothing
re-implements a rule of play."""
