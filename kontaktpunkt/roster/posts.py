"""Who works which post on a shift — pure. The solver decides who is on a shift; the posts are
handed out afterwards from the shift's demand (`ShiftDemand.posts`, the team-lead posts from
`ShiftDemand.team_leads`):

1. the team-lead posts to team leads;
2. the contact-point desk to people qualified for the desk;
3. the Mobile Wache to drivers first (the vehicle needs one), then to anyone;
4. everybody else walks in patrol pairs; people whose preferred partner is on the same shift are
   kept for the patrol, so that the two can walk together.

A post nobody qualified can fill goes to anyone left, so that it is staffed. The order is stable
(people by their index), so the same roster always gives the same posts.

The solver and the validator keep the people on a shift beyond its special posts even (patrols in
pairs) and a team lead on it, so on a valid roster every special post is staffed and the rest pair
up: nobody walks alone. After a change (`posts_fill`) the posts of those who kept their shift stay;
a special post left open is filled from the patrol (the newcomers first), for the same reason.
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
    result: dict[int, Post] = {}
    for post in SPECIAL_POSTS:
        for _ in range(demand.wanted(post)):
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
    for post in SPECIAL_POSTS:
        if demand.wanted(post) > list(taken).count(post) and QUALIFIED[post] in qualifications:
            return post
    return Post.PATROL_PAIR


def posts_fill(
    instance: Instance, roster: Roster, known: Mapping[tuple[int, int], Post]
) -> PostGrid:
    """Posts for a changed roster. `known` holds the posts of the duties that kept their shift; they
    stay. Every other duty gets the post still open on its shift (`post_for_newcomer`). A special
    post still open after that is handed to someone on the patrol of the shift, a newcomer first
    (`_posts_complete`), so that the rest still walks in pairs."""
    on_shift: dict[tuple[int, str], list[int]] = defaultdict(list)
    for a in roster.assignments:
        on_shift[(a.day, a.shift)].append(a.person)
    result: PostGrid = {}
    for (day, code), people in sorted(on_shift.items()):
        posts = {p: post for p in people if (post := known.get((p, day))) is not None}
        newcomers = [p for p in people if p not in posts]
        if code not in instance.shift_codes or not 0 <= day < instance.n_days:
            posts.update(dict.fromkeys(newcomers, Post.PATROL_PAIR))
        else:
            demand = instance.demand[day][instance.shift_codes.index(code)]
            for person in newcomers:
                qualifications = instance.staff[person].qualifications
                posts[person] = post_for_newcomer(demand, qualifications, list(posts.values()))
            _posts_complete(instance, demand, posts, newcomers)
        result.update({(p, day): post for p, post in posts.items()})
    return result


def _posts_complete(
    instance: Instance, demand: ShiftDemand, posts: dict[int, Post], newcomers: Sequence[int]
) -> None:
    """Fill the special posts still open from the people on patrol: the newcomers first, then the
    others, each time someone qualified if there is one."""
    for post in SPECIAL_POSTS:
        open_posts = demand.wanted(post) - list(posts.values()).count(post)
        for _ in range(open_posts):
            walking = sorted(p for p, given in posts.items() if given is Post.PATROL_PAIR)
            new = [p for p in walking if p in newcomers]
            person = _pick_qualified(instance, new, post)
            if person is None:
                person = _pick(instance, new + [p for p in walking if p not in new], post)
            if person is None:
                break
            posts[person] = post


def _pick_qualified(instance: Instance, free: Sequence[int], post: Post) -> int | None:
    """The first free person qualified for the post, preferring those with fewer other
    qualifications."""
    needed = QUALIFIED[post]
    qualified = [p for p in free if needed in instance.staff[p].qualifications]
    if qualified:
        return min(qualified, key=lambda p: len(instance.staff[p].qualifications))
    return None


def _pick(instance: Instance, free: Sequence[int], post: Post) -> int | None:
    """The first free person qualified for the post (`_pick_qualified`); when nobody is qualified
    anyone free (but never for the team-lead post)."""
    if not free:
        return None
    qualified = _pick_qualified(instance, free, post)
    if qualified is not None:
        return qualified
    if post is Post.TEAM_LEAD:
        return None  # a team-lead post needs a team lead; the validator names the gap
    return free[0]
