"""ep03-ep06 open by re-testing the player's weakest earlier skill (issue 17, item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sam_cowboy.core import engine
from sam_cowboy.core.loader import load_episode

EPISODES = Path(__file__).resolve().parents[2] / "episodes"
RECALLING = ["ep03-sharing-insight", "ep04-illectronisme", "ep05-accessible-director",
             "ep06-seminar"]


def first_scene(episode_id: str, season: dict[str, int] | None) -> str:
    episode = load_episode(EPISODES / f"{episode_id}.yaml").episode
    assert episode is not None
    state, _ = engine.begin(episode, season=season)
    return state.scene


@pytest.mark.parametrize("episode_id", RECALLING)
def test_each_weakest_earlier_skill_but_the_focus_has_its_retrieval_scene(episode_id: str) -> None:
    episode = load_episode(EPISODES / f"{episode_id}.yaml").episode
    assert episode is not None
    without = first_scene(episode_id, None)
    assert not without.startswith("recall")  # no history: the episode starts as it always did
    recalled = 0
    for dim in episode.dimensions:
        season = {d: 10 if d == dim else 90 for d in episode.dimensions}
        scene = first_scene(episode_id, season)
        if dim == episode.focus:  # the episode itself is about it
            assert scene == without, (episode_id, dim)
        else:
            assert scene == f"recall-{dim}", (episode_id, dim, scene)
            recalled += 1
            # a retrieval scene scores nothing: points would depend on the player's history
            assert all(not c.effects.score for c in episode.scenes[scene].choices)
    assert recalled == len(episode.dimensions) - 1
