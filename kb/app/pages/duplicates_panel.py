"""The Library page's duplicate review: the queue one pair at a time (fields side by side, one
key per decision: M, B, N, S, U), a batch merge above a chosen score with its preview count, and
the list of merges with an undo for each."""

from __future__ import annotations

import streamlit as st

from kb.app.dedup_view import batch_preview, clamp, pair_heading, table_rows
from kb.app.pages.common import get_enricher, get_store
from kb.app.ui_text import md_text
from kb.dedup.decisions import load_decisions
from kb.dedup.history import load_merged, merged_ids
from kb.dedup.side_by_side import side_by_side
from kb.errors import KBError
from kb.ops.duplicates import Action, DuplicatePair, candidate_pairs, decide_pair, merge_pairs, undo_pair

MERGES_SHOWN = 50


@st.cache_data(show_spinner="Looking for possible duplicates…", max_entries=2)
def _pairs(home: str, fingerprint: tuple, decisions: str) -> list[DuplicatePair]:
    return candidate_pairs(get_store())


def queue() -> list[DuplicatePair]:
    """The review queue of the stored records (found from the dedup key cache, not by reading
    every record), recomputed when a record or a decision changes (here or in another app or
    `kb dedup`)."""
    store = get_store()
    return _pairs(str(store.home), store.fingerprint(), load_decisions(store).model_dump_json())


def _say_last() -> None:
    message = st.session_state.pop("dup_message", None)
    if message:
        st.success(md_text(message), icon=":material/check_circle:")


def _act(pair: DuplicatePair, action: Action) -> None:
    try:
        done = decide_pair(get_store(), pair.a, pair.b, action, get_enricher())
    except KBError as err:  # a record changed meanwhile, or another writer holds the lock
        st.session_state["dup_message"] = f"Not done: {err}"
        return
    st.session_state["dup_message"] = done.message
    if done.merged_away:
        st.session_state["dup_last_merged"] = done.merged_away


def _undo(merged_id: str) -> None:
    try:
        st.session_state["dup_message"] = undo_pair(get_store(), merged_id, get_enricher()).message
    except KBError as err:
        st.session_state["dup_message"] = f"Not undone: {err}"
    if st.session_state.get("dup_last_merged") == merged_id:
        del st.session_state["dup_last_merged"]


def _skip() -> None:
    st.session_state["dup_pos"] = st.session_state.get("dup_pos", 0) + 1


def _undo_last_button() -> None:
    last = st.session_state.get("dup_last_merged")
    st.button("Undo last merge", key="dup_undo", icon=":material/undo:", shortcut="U",
              disabled=last is None, on_click=_undo, args=(last,),
              help=f"Bring back {last}" if last else "No merge made here yet")


def show_queue() -> None:
    """One pair of the queue with its decisions, then the batch merge."""
    _say_last()
    pairs = queue()
    if not pairs:
        st.info("No possible duplicates: every pair of records differs in title, authors, year or "
                "identifiers, or was marked not duplicates.", icon=":material/check_circle:")
        if st.session_state.get("dup_last_merged"):
            _undo_last_button()
        return
    position = clamp(st.session_state.get("dup_pos", 0), len(pairs))
    st.session_state["dup_pos"] = position
    pair = pairs[position]
    st.markdown(f"**{md_text(pair_heading(pair, position, len(pairs)))}**")
    try:
        a, b = (get_store().load(i) for i in (pair.a, pair.b))
    except KBError as err:  # changed or removed since the queue was made: it is made anew next run
        st.warning(f"This pair can't be shown: {err}", icon=":material/warning:")
        return
    st.table([{"Field": r.field, "Agree?": r.agreement, f"A: {pair.a}": r.a, f"B: {pair.b}": r.b}
              for r in table_rows(side_by_side(a, b))], hide_index=True)
    with st.container(horizontal=True):
        st.button("Merge B into A", key="dup_merge", icon=":material/merge:", type="primary", shortcut="M",
                  on_click=_act, args=(pair, "merge"))
        st.button("Merge A into B", key="dup_merge_b", shortcut="B", on_click=_act, args=(pair, "merge-into-b"))
        st.button("Not duplicates", key="dup_distinct", icon=":material/call_split:", shortcut="N",
                  on_click=_act, args=(pair, "not-duplicate"))
        st.button("Skip", key="dup_skip", icon=":material/skip_next:", shortcut="S", on_click=_skip,
                  disabled=position + 1 >= len(pairs))
        _undo_last_button()
    st.caption("Keys: M merge B into A · B merge A into B · N not duplicates · S skip · U undo the "
               "last merge. The kept record takes the other's missing fields and sources; the other "
               "is kept for undo (Merges).")
    _batch(pairs)


def _merge_all(chosen: list[DuplicatePair]) -> None:
    store = get_store()
    try:
        with store.lock():
            done = merge_pairs(store, chosen, get_enricher())
    except KBError as err:
        st.session_state["dup_message"] = f"Stopped: {err}"
        return
    st.session_state["dup_message"] = f"{len(done.merged)} merge(s) done; each can be undone under Merges."


def _batch(pairs: list[DuplicatePair]) -> None:
    with st.expander("Merge every pair above a score", icon=":material/done_all:"):
        min_score = st.slider("Merge every pair scoring at least", 0, 100, 95, key="dup_min_score")
        chosen, line = batch_preview(pairs, float(min_score))
        st.caption(md_text(line))
        sure = st.checkbox("I have looked at them: merge them", key="dup_batch_sure", disabled=not chosen)
        st.button(f"Merge {len(chosen)} pairs", key="dup_batch", disabled=not (chosen and sure),
                  icon=":material/merge:", on_click=_merge_all, args=(chosen,))


def show_merges() -> None:
    """Every merge that can be undone, newest names first, with an undo button each."""
    _say_last()
    store = get_store()
    names = merged_ids(store)
    if not names:
        st.info("No merges yet. Merges made at import or here are listed with an undo.")
        return
    st.caption(f"{len(names)} merge(s); undo brings the merged-away record back as it was and "
               "remembers the pair as not duplicates.")
    for merged_id in names[:MERGES_SHOWN]:
        kept = load_merged(store, merged_id)
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.markdown(f"`{merged_id}` merged into `{kept.kept_id}` — {md_text(kept.reason)}")
        right.button("Undo", key=f"undo_{merged_id}", icon=":material/undo:", on_click=_undo, args=(merged_id,))
    if len(names) > MERGES_SHOWN:
        st.caption(f"… and {len(names) - MERGES_SHOWN} more (kb dedup --merged lists all).")
