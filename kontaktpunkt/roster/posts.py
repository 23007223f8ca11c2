"""Who works which post on a shift — pure. The solver decides who is on a shift; the posts are
handed out afterwards from the shift's demand (`ShiftDemand.posts`):

1. the team-lead posts to team leads;
2. the contact-point desk to people qualified for the desk;
3. the Mobile Wache to drivers first (the vehicle needs one), then to anyone;
4. everybody else walks in patrol pairs; people whose preferred partner is on the same shift are
   kept for the patrol, so that the two can walk together.

A post nobody qualified can fill goes to anyone left, so that it is staffed. The order is stable
(people by their index), so the same roster always gives the same posts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from kontaktpunkt.roster.domain import Instance, Post, Qualification, Roster, ShiftDemand

PostGrid = dict[tuple[int, int], Post]
QUALIFIED: dict[Post, Qualification] = {
    Post.TEAM_LEAD: Qualification.TEAM_LEAD,
    Post.DESK: Qualification.DESK,
    Post.MOBILE: Qualification.DRIVER,
}
SPECIAL_POSTS = (Post.TEAM_LEAD, Post.DESK, Post.MOBILE)


def posts_allocate(
    instance: Instance, roster: Roster, *, partners: Mapping[int, int] | None = None
) -> PostGrid:
    """A post for every assignment of the roster."""
    on_shift: dict[tuple[int, str], list[int]] = defaultdict(list)
    for a in roster.assignments:
        if 0 <= a.day < instance.n_days and a.shift in instance.shift_codes:
            on_shift[(a.day, a.shift)].append(a.person)
    posts: PostGrid = {}
    for (day, code), people in on_shift.items():
        demand = instance.demand[day][instance.shift_codes.index(code)]
        chosen = shift_posts(instance, demand, sorted(people), partners or {})
        posts.update({(p, day): post for p, post in chosen.items()})
    return posts


def shift_posts(
    instance: Instance, demand: ShiftDemand, people: Sequence[int], partners: Mapping[int, int]
) -> dict[int, Post]:
    paired = {p for p in people if partners.get(p) in people and p != partners.get(p)}
    free = [p for p in people if p not in paired] + [p for p in people if p in paired]
    wanted = dict(demand.posts)
    result: dict[int, Post] = {}
    for post in SPECIAL_POSTS:
        for _ in range(wanted.get(post, 0)):
            person = _pick(instance, free, post)
            if person is None:
                break
            result[person] = post
            free.remove(person)
    result.update(dict.fromkeys(free, Post.PATROL_PAIR))
    return result


def post_for_newcomer(
    demand: ShiftDemand, qualifications: frozenset[Qualification], taken: Sequence[Post]
) -> Post:
    """The post for one person added to a shift by hand or by the re-plan: the first special post
    still open that the person is qualified for, else the patrol."""
    wanted = dict(demand.posts)
    for post in SPECIAL_POSTS:
        if wanted.get(post, 0) > list(taken).count(post) and QUALIFIED[post] in qualifications:
            return post
    return Post.PATROL_PAIR


def posts_fill(
    instance: Instance, roster: Roster, known: Mapping[tuple[int, int], Post]
) -> PostGrid:
    """Posts for a changed roster. `known` holds the posts of the duties that kept their shift; they
    stay. Every other duty gets the post still open on its shift (`post_for_newcomer`)."""
    result: PostGrid = {}
    newcomers: list[tuple[int, int, str]] = []
    for a in roster.assignments:
        post = known.get((a.person, a.day))
        if post is not None:
            result[(a.person, a.day)] = post
        else:
            newcomers.append((a.person, a.day, a.shift))
    for person, day, code in newcomers:
        if code not in instance.shift_codes or not 0 <= day < instance.n_days:
            result[(person, day)] = Post.PATROL_PAIR
            continue
        demand = instance.demand[day][instance.shift_codes.index(code)]
        taken = [
            result[(p, day)]
            for (p, d), c in roster.grid.items()
            if d == day and c == code and (p, day) in result
        ]
        qualifications = instance.staff[person].qualifications
        result[(person, day)] = post_for_newcomer(demand, qualifications, taken)
    return result


def _pick(instance: Instance, free: Sequence[int], post: Post) -> int | None:
    """The first free person qualified for the post, preferring those with fewer other
    qualifications; when nobody is qualified anyone free (but never for the team-lead post)."""
    if not free:
        return None
    needed = QUALIFIED[post]
    qualified = [p for p in free if needed in instance.staff[p].qualifications]
    if qualified:
        return min(qualified, key=lambda p: len(instance.staff[p].qualifications))
    if post is Post.TEAM_LEAD:
        return None  # a team-lead post needs a team lead; the validator names the gap
    return free[0]
