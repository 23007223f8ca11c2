from __future__ import annotations

from collections import Counter
from dataclasses import replace

from kontaktpunkt.roster.domain import Post, Qualification, Roster, ShiftDemand, StaffMember
from kontaktpunkt.roster.posts import post_for_newcomer, posts_allocate, posts_fill, shift_posts
from kontaktpunkt.roster.solver import SolverOptions, roster_solve
from kontaktpunkt.roster.tests.builders import tiny_grid, tiny_instance
from kontaktpunkt.roster.validator import roster_validate

DEMAND = ShiftDemand(
    minimum=6,
    target=6,
    team_leads=1,
    posts=((Post.PATROL_PAIR, 1), (Post.TEAM_LEAD, 1), (Post.DESK, 1), (Post.MOBILE, 2)),
)
Q = Qualification


def _instance(*qualifications: frozenset[Qualification]):
    staff = tuple(
        StaffMember(str(p), f"P{p}", 39 * 60, quals) for p, quals in enumerate(qualifications)
    )
    return replace(tiny_instance(), staff=staff)


def test_each_post_goes_to_someone_qualified_and_the_rest_walk_in_pairs():
    instance = _instance(
        frozenset(),
        frozenset({Q.DRIVER}),
        frozenset({Q.DESK}),
        frozenset({Q.TEAM_LEAD}),
        frozenset(),
        frozenset({Q.DRIVER}),
    )

    posts = shift_posts(instance, DEMAND, range(6), {})

    assert posts == {
        3: Post.TEAM_LEAD,
        2: Post.DESK,
        1: Post.MOBILE,
        5: Post.MOBILE,
        0: Post.PATROL_PAIR,
        4: Post.PATROL_PAIR,
    }


def test_partners_on_the_same_shift_are_kept_together_on_patrol():
    instance = _instance(*[frozenset({Q.DESK, Q.DRIVER})] * 4, frozenset(), frozenset())
    demand = replace(DEMAND, posts=((Post.DESK, 1), (Post.MOBILE, 1)))

    posts = shift_posts(instance, demand, range(4), {0: 1, 1: 0})

    assert posts[0] == posts[1] == Post.PATROL_PAIR
    assert {posts[2], posts[3]} == {Post.DESK, Post.MOBILE}


def test_the_team_lead_post_stays_empty_without_a_team_lead():
    instance = _instance(*[frozenset()] * 6)

    posts = shift_posts(instance, DEMAND, range(3), {})

    assert Post.TEAM_LEAD not in posts.values()


def test_a_solved_roster_gets_a_post_for_every_duty():
    instance = tiny_instance()
    roster = Roster.from_grid(tiny_grid())

    posts = posts_allocate(instance, roster)

    assert set(posts) == set(roster.grid)


def test_a_newcomer_takes_the_open_post_they_are_qualified_for():
    lead = frozenset({Q.TEAM_LEAD})

    assert post_for_newcomer(DEMAND, lead, []) == Post.TEAM_LEAD
    assert post_for_newcomer(DEMAND, lead, [Post.TEAM_LEAD]) == Post.PATROL_PAIR
    assert post_for_newcomer(DEMAND, frozenset({Q.DRIVER}), [Post.MOBILE]) == Post.MOBILE


def test_after_a_change_known_posts_stay_and_new_duties_get_open_ones():
    instance = tiny_instance()
    roster = Roster.from_grid({(0, 0): "E", (3, 0): "E"})

    posts = posts_fill(instance, roster, {(0, 0): Post.PATROL_PAIR})

    assert posts == {(0, 0): Post.PATROL_PAIR, (3, 0): Post.TEAM_LEAD}


def test_the_team_lead_post_comes_from_the_demand_even_when_its_posts_do_not_name_it():
    instance = _instance(frozenset({Q.TEAM_LEAD}), frozenset(), frozenset())
    demand = ShiftDemand(minimum=3, target=3, team_leads=1, posts=((Post.PATROL_PAIR, 1),))

    posts = shift_posts(instance, demand, range(3), {})

    assert posts == {0: Post.TEAM_LEAD, 1: Post.PATROL_PAIR, 2: Post.PATROL_PAIR}


def test_on_a_valid_roster_everybody_on_patrol_has_a_partner(kod48_week):
    result = roster_solve(kod48_week, options=SolverOptions(time_limit_s=20))
    assert result.roster is not None
    assert roster_validate(kod48_week, result.roster) == ()

    posts = posts_allocate(kod48_week, result.roster)

    walkers = Counter(
        (day, result.roster.shift_of(p, day))
        for (p, day), post in posts.items()
        if post is Post.PATROL_PAIR
    )
    assert walkers
    assert all(n % 2 == 0 for n in walkers.values())


def test_after_a_change_an_open_desk_is_taken_from_the_patrol_so_the_rest_pair_up():
    # The desk clerk 1 fell sick; 4 (no desk training) joined the shift; 2 can do the desk.
    instance = _instance(
        frozenset({Q.TEAM_LEAD}),
        frozenset({Q.DESK}),
        frozenset({Q.DESK}),
        frozenset(),
        frozenset(),
        frozenset(),
    )
    demand = ShiftDemand(
        minimum=4, target=4, team_leads=1, posts=((Post.PATROL_PAIR, 1), (Post.DESK, 1))
    )
    instance = replace(instance, demand=((demand, demand),) * 7)
    roster = Roster.from_grid({(0, 0): "E", (2, 0): "E", (3, 0): "E", (4, 0): "E"})
    known = {(0, 0): Post.TEAM_LEAD, (2, 0): Post.PATROL_PAIR, (3, 0): Post.PATROL_PAIR}

    posts = posts_fill(instance, roster, known)

    assert posts == {
        (0, 0): Post.TEAM_LEAD,
        (2, 0): Post.DESK,
        (3, 0): Post.PATROL_PAIR,
        (4, 0): Post.PATROL_PAIR,
    }
