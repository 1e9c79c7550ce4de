"""The team view (``t``): mood, follow-ups, each agent's load and who is at risk, as
charts (textual-plotext), with the list of people at risk; enter jumps to one of them.

The numbers come from one thread worker (``Directory.team_report``: aggregate queries
and the in-memory summaries); the screen only draws them. Escape returns to the desk.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual_plotext import PlotextPlot

from deskterm.directory import Directory
from deskterm.errors import DeskError
from deskterm.team.report import TeamReport, WeekRisk
from deskterm.textsafe import one_line
from deskterm.tui.text import people as count_people
from deskterm.tui.widgets.footer import DeskFooter

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
AGENT_LABEL = 8


def _day(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


@dataclass
class ReportReady(Message):
    report: TeamReport | None
    error: str = ""


@dataclass
class HistoryReady(Message):
    weeks: tuple[WeekRisk, ...]


class TeamScreen(Screen[int | None]):
    """One screen for the whole desk; dismisses with the person chosen (or None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Back to the desk"),
        Binding("ctrl+r", "reload", "Reload"),
    ]
    CSS_PATH: ClassVar = Path(__file__).with_name("team.tcss")
    AUTO_FOCUS = "#team-risk"

    def __init__(self, directory: Directory) -> None:
        super().__init__(id="team")
        self.directory = directory
        self.report: TeamReport | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("Team · loading…", "bold"), id="team-title")
        with Vertical(id="team-body"):
            with Horizontal(classes="team-row"):
                yield PlotextPlot(id="plot-mood", classes="team-plot")
                yield PlotextPlot(id="plot-days", classes="team-plot")
            with Horizontal(classes="team-row"):
                yield PlotextPlot(id="plot-agents", classes="team-plot")
                yield PlotextPlot(id="plot-risk", classes="team-plot")
            yield Static(Content.styled("At risk", "bold"), id="team-risk-title")
            yield OptionList(id="team-risk")
        yield DeskFooter(compact=True)

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="team-report")
    def load(self) -> None:
        """Everything but the at-risk weeks first (fast), then those (slower)."""
        try:
            report = self.directory.team_report(history=False)
            self.post_message(ReportReady(report))
            self.post_message(HistoryReady(self.directory.risk_history(report.now)))
        except DeskError as err:
            self.post_message(ReportReady(None, str(err)))

    def action_reload(self) -> None:
        self.load()

    def action_close(self) -> None:
        self.dismiss(None)

    def on_report_ready(self, message: ReportReady) -> None:
        if message.report is None:
            self.query_one("#team-title", Static).update(
                Content.styled(f"Team · {one_line(message.error, 70)}", "bold $error")
            )
            return
        self.report = report = message.report
        title = (
            f"Team · {count_people(report.people)} · {report.at_risk_total:,} at risk"
            " · enter on a person opens them · escape returns"
        )
        self.query_one("#team-title", Static).update(Content.styled(title, "bold"))
        self._draw_mood(report)
        self._draw_days(report)
        self._draw_agents(report)
        self._plot("risk", "People at risk, end of each week: counting…")
        self._fill_list(report)

    def on_history_ready(self, message: HistoryReady) -> None:
        if self.report is not None:
            self.report = replace(self.report, risk_weeks=message.weeks)
            self._draw_risk(self.report)

    # -- the charts ---------------------------------------------------------------------
    def _plot(self, name: str, title: str):  # type: ignore[no-untyped-def]
        widget = self.query_one(f"#plot-{name}", PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(title)
        widget.refresh()
        return plt

    def _draw_mood(self, report: TeamReport) -> None:
        plt = self._plot("mood", "Mood per week (average 1-5)")
        weeks = report.mood_weeks
        labels = [_day(w.start) for w in weeks]
        values = [w.average or 0 for w in weeks]
        plt.bar(labels, values, marker="hd")
        plt.ylim(0, 5)

    def _draw_days(self, report: TeamReport) -> None:
        plt = self._plot("days", "Follow-ups due per day: done / open")
        days = report.follow_up_days
        labels = [_day(d.day) for d in days]
        plt.stacked_bar(
            labels,
            [[d.due - d.open for d in days], [d.open for d in days]],
            labels=["done", "open (overdue if past)"],
            marker="hd",
        )

    def _draw_agents(self, report: TeamReport) -> None:
        plt = self._plot("agents", "Per agent: open follow-ups / waiting")
        agents = report.agents or ()
        names = [one_line(a.agent, AGENT_LABEL) if a.agent else "nobody" for a in agents]
        if names:
            plt.multiple_bar(
                names,
                [[a.open_follow_ups for a in agents], [a.waiting for a in agents]],
                labels=["open follow-ups", "people waiting"],
                marker="hd",
            )

    def _draw_risk(self, report: TeamReport) -> None:
        plt = self._plot("risk", "People at risk, end of each week")
        weeks = report.risk_weeks
        plt.bar([_day(w.start) for w in weeks], [w.people for w in weeks], marker="hd")

    # -- the list -----------------------------------------------------------------------
    def _fill_list(self, report: TeamReport) -> None:
        options = self.query_one("#team-risk", OptionList)
        options.clear_options()
        if not report.at_risk:
            options.add_option(Option(Content.styled("no one is at risk", "dim italic")))
            return
        for person in report.at_risk:
            owner = f" · {one_line(person.owner, 20)}" if person.owner else ""
            prompt = Content.assemble(
                Content(one_line(person.name, 40)),
                (owner, "$secondary"),
                ("  ", ""),
                (one_line(person.reason, 60), "$accent"),
            )
            options.add_option(Option(prompt, id=str(person.id)))
        more = report.at_risk_total - len(report.at_risk)
        if more > 0:
            options.add_option(Option(Content.styled(f"… and {more:,} more", "dim")))
        options.highlighted = 0  # enter opens the longest at risk right away

    @on(OptionList.OptionSelected, "#team-risk")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(int(event.option.id))
