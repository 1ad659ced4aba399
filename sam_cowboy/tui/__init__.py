"""The terminal app (Textual): library, intro, scenes, feedback, debrief, help, settings.

Imported only by the commands that open the app; `check` and `run` never import it.
"""
