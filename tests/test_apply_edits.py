"""The engine applies a fix's edits in a linked list (linear time); the result
must be the plain way's, one edit after another by position: the same items,
the same skipped edits, the same error."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dockfix.engine import _apply_linked, _apply_plainly
from dockfix.rule import Edit
from dockfix.tree import Blank, Comment, Node

# A few nodes, some of them equal but distinct objects; edits name nodes of
# the tree, new nodes, nodes an earlier edit removed, and repeat nodes.
_pool: list[Node] = [Comment(f"# {n}\n") for n in range(8)] + [Blank("\n") for _ in range(4)]
_node = st.sampled_from(_pool)
_edits = st.lists(
    st.one_of(
        st.builds(
            Edit,
            st.lists(_node, min_size=1, max_size=3).map(tuple),
            st.lists(_node, max_size=3).map(tuple),
        ),
        st.builds(
            lambda new, after: Edit((), new, after),
            st.lists(_node, max_size=3).map(tuple),
            st.none() | _node,
        ),
    ),
    max_size=8,
)


def _outcome(apply: object, items: list[Node], edits: list[Edit]) -> object:
    try:
        result = apply(list(items), edits)  # type: ignore[operator]
    except ValueError as e:
        return ("error", str(e))
    if result is None:
        return None
    done, skipped = result
    return ([id(n) for n in done], [i for i, e in enumerate(edits) if id(e) in skipped])


@settings(max_examples=600, deadline=None)
@given(st.lists(_node, max_size=10, unique_by=id), _edits)
def test_linked_edits_give_the_plain_result(items: list[Node], edits: list[Edit]) -> None:
    linked = _outcome(_apply_linked, items, edits)
    if linked is not None:  # None: a node would be in the list twice
        assert linked == _outcome(_apply_plainly, items, edits)


def test_a_node_in_the_list_twice_is_left_to_the_plain_way() -> None:
    a, b = Comment("# a\n"), Comment("# b\n")
    assert _apply_linked([a, b, a], [Edit((b,), ())]) is None
    assert _apply_linked([a], [Edit((), (a,), a)]) is None
