"""The library: the season in order, each episode's status, details of the highlighted one."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static

from sam_cowboy.messages import quote
from sam_cowboy.tui.catalog import LibraryItem
from sam_cowboy.tui.screens.base import SamScreen
from sam_cowboy.tui.text import data, markdown
from sam_cowboy.tui.widgets.keybar import Key, KeyBar
from sam_cowboy.tui.widgets.marked import MarkedOptionList


class LibraryScreen(SamScreen):
    AUTO_FOCUS = "#episodes"
    def __init__(self, offer_resume: bool = False) -> None:
        super().__init__()
        self.offer_resume = offer_resume

    def compose(self) -> ComposeResult:
        yield Static(id="lib-head", classes="topbar")
        with Horizontal(id="lib-body"):
            yield MarkedOptionList(id="episodes")
            with VerticalScroll(id="lib-details"):
                yield Static(id="lib-detail")
        yield KeyBar()

    def keys(self) -> list[Key]:
        return [("↑↓", self.t("key_move"), None), ("⏎", self.t("key_open"), "open"),
                *self.common_keys()]

    def on_mount(self) -> None:
        self.draw_head()
        if self.sam.items is None:
            self.query_one("#lib-detail", Static).update(Content(self.t("loading")))
            self.load()
        else:
            self.fill()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        self.sam.load_library()
        self.app.call_from_thread(self.fill)

    def draw_head(self) -> None:
        self.query_one("#lib-head", Static).update(Content.assemble(
            (self.t("app_title"), "bold"), " — ", self.t("library_title"), "   ",
            data(self.t("hello_player", player=self.sam.player), "italic")))

    # ------------------------------------------------------------ drawing

    def status(self, item: LibraryItem) -> tuple[str, str]:
        """A symbol and words for the episode's status (never colour alone)."""
        ep = item.episode
        if ep is None:
            return "×", self.t("status_broken")
        if self.sam.missing_requirements(ep):
            return "⊘", self.t("status_locked")
        best = self.sam.store.best(ep.id)
        if self.sam.store.in_progress(ep.id):
            return "◐", self.t("status_progress")
        if best is not None:
            return "✓", self.t("status_done", percent=best)
        return "○", self.t("status_new")

    def fill(self) -> None:
        items = self.sam.items or []
        options = self.query_one("#episodes", MarkedOptionList)
        keep = options.highlighted
        if keep is None:  # back in the library: on the episode the player was looking at
            ids = [i.episode.id if i.episode else None for i in items]
            wanted = self.sam.library_cursor
            keep = ids.index(wanted) if wanted in ids else 0
        prompts = []
        for i, item in enumerate(items):
            ep = item.episode
            title = self.sam.say(ep, ep.title) if ep is not None else item.path.name
            number = ep.number if ep is not None and ep.number is not None else i + 1
            symbol, words = self.status(item)
            prompts.append((Content.styled(f"{number}. ", "bold"), Content.assemble(
                data(title, "bold"), "\n", (f"{symbol} ", "$accent"), words)))
        options.set_items(prompts, min(keep, len(items) - 1) if items else None)
        if items:
            options.focus()
            self.detail(options.highlighted)
        else:
            self.query_one("#lib-detail", Static).update(Content(self.t("empty_library")))
        if self.offer_resume:
            self.offer_resume = False
            self.resume_latest()

    def detail(self, index: int | None) -> None:
        items = self.sam.items or []
        if index is None or not 0 <= index < len(items):
            return
        item = items[index]
        ep = item.episode
        box = self.query_one("#lib-detail", Static)
        if ep is None:
            box.update(Content.assemble(
                data(item.path.name, "bold"), "\n\n",
                data(self.t("broken_explain", file=str(item.path)))))
            return
        say = self.sam.say
        parts: list[Content] = [data(say(ep, ep.title), "bold $primary")]
        meta = []
        if ep.number is not None:
            meta.append(self.t("episode_number", number=ep.number))
        if ep.estimated_minutes:
            meta.append(self.t("estimated", minutes=f"{ep.estimated_minutes:g}"))
        if meta:
            parts.append(Content.styled(" · ".join(meta), "italic"))
        symbol, words = self.status(item)
        parts.append(Content.assemble((f"{symbol} ", "$accent"), (words, "bold")))
        missing = self.sam.missing_requirements(ep)
        if missing:
            names = ", ".join(quote(self.sam.title_of(r), self.sam.ui_lang) for r in missing)
            parts.append(data(self.t("locked_explain", episodes=names)))
        if ep.summary:
            parts.append(markdown(say(ep, ep.summary)))
        if ep.audience:
            parts.append(Content.assemble((self.t("audience"), "bold"), "\n",
                                          markdown(say(ep, ep.audience))))
        if ep.objectives:
            parts.append(Content("\n").join(
                [Content.styled(self.t("objectives"), "bold")]
                + [Content.assemble("  • ", markdown(say(ep, o))) for o in ep.objectives]))
        if not missing:
            parts.append(Content.styled(self.t("open_hint"), "italic"))
        box.update(Content("\n\n").join(parts))
        self.query_one("#lib-details", VerticalScroll).scroll_home(animate=False)

    # ------------------------------------------------------------ events

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        items = self.sam.items or []
        if 0 <= event.option_index < len(items):
            episode = items[event.option_index].episode
            self.sam.library_cursor = episode.id if episode is not None else None
        self.detail(event.option_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.open_index(event.option_index)

    def action_open(self) -> None:
        self.open_index(self.query_one("#episodes", OptionList).highlighted)

    def open_index(self, index: int | None) -> None:
        items = self.sam.items or []
        if index is None or not 0 <= index < len(items):
            return
        item = items[index]
        ep = item.episode
        if ep is None:
            self.sam.notify_data(self.t("broken_explain", file=str(item.path)),
                                 severity="warning")
            return
        missing = self.sam.missing_requirements(ep)
        if missing:
            names = ", ".join(self.sam.title_of(r) for r in missing)
            self.sam.notify_data(self.t("locked_explain", episodes=names))
            return
        self.sam.show_intro(ep)

    def resume_latest(self) -> None:
        """On launch: offer to continue the run the player left last."""
        latest = self.sam.store.latest_in_progress()
        if latest is None:
            return
        episode_id, record = latest
        item = next((i for i in self.sam.items or []
                     if i.episode is not None and i.episode.id == episode_id), None)
        if item is None or item.episode is None:
            return
        from sam_cowboy.tui.screens.resume import ResumeScreen

        episode = item.episode

        def answer(choice: str | None) -> None:
            if choice == "resume":
                self.sam.show_intro(episode, resume=record)

        self.app.push_screen(ResumeScreen(episode, record, later=True), answer)

    def relabel(self) -> None:
        super().relabel()
        self.draw_head()
        if self.sam.items is not None:
            self.fill()
