"""The intro's Start button: Textual's primary Button with only the styles it uses.

Button's own stylesheet (every variant, flat and ANSI styles) was the largest piece of CSS
parsed before the first screen; this one keeps Button's rules for the default style and the
primary variant, unchanged, so it looks and behaves exactly like `Button(variant="primary")`.
Not inheriting Button's CSS also means `Button` selectors miss it: app.tcss names it where it
styles buttons (high contrast).
"""

from __future__ import annotations

from textual.widgets import Button


class StartButton(Button, inherit_css=False):
    DEFAULT_CSS = """
    StartButton:ansi.-style-default {
        border: tall $border-blurred;
        background: ansi_default;
        &:hover {
            background: $ansi-background;
            border: tall $border;
        }
        &.-active {
            background: $ansi-background !important;
            border: blank $background !important;
            tint: transparent;
        }
        &.-primary {
            color: $primary;
            border: tall $primary;
            background: ansi_default;
            &:hover {
                background: $ansi-background;
            }
        }
    }

    StartButton {
        width: auto;
        min-width: 16;
        height: auto;
        line-pad: 1;
        text-align: center;
        content-align: center middle;
        pointer: pointer;

        &.-style-default {
            text-style: bold;
            color: $button-foreground;
            background: $surface;
            border: none;
            border-top: tall $surface-lighten-1;
            border-bottom: tall $surface-darken-1;

            &:focus {
                text-style: $button-focus-text-style;
                background-tint: $foreground 5%;
            }
            &:hover {
                border-top: tall $surface;
                background: $surface-darken-1;
            }
            &.-active {
                background: $surface;
                border-bottom: tall $surface-lighten-1;
                border-top: tall $surface-darken-1;
                tint: $background 30%;
            }
            &.-primary {
                color: $button-color-foreground;
                background: $primary;
                border-top: tall $primary-lighten-3;
                border-bottom: tall $primary-darken-3;

                &:hover {
                    background: $primary-darken-2;
                    border-top: tall $primary;
                }
                &.-active {
                    background: $primary;
                    border-bottom: tall $primary-lighten-3;
                    border-top: tall $primary-darken-3;
                }
            }
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, variant="primary")
