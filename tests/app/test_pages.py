"""Every page under AppTest, on a temporary copy of the shipped records (fake embedder)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
NEW = ROOT / "tests" / "data" / "app" / "new_abstract.txt"
CHUANG = "chuang-2025-collaboration-strategies"
SAFAEINILI = "safaeinili-2025-assess-multi-level"
SEED_003 = "improve-integration-health"
PAGES = ["search", "record", "compare", "evidence_map", "add", "library"]


def _open(page: str, *, params: dict | None = None, basket: list[str] | None = None) -> AppTest:
    """app.py (so st.navigation, the sidebar and page links work) switched to one page."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if basket is not None:
        at.session_state["basket"] = basket
    if page != "search":  # the default page first, then the link to the page with its URL
        at.run()
        at.switch_page(f"kb/app/pages/{page}.py")
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def record_picker(at: AppTest):
    """The Record page's sidebar picker (its key follows the titles it shows)."""
    return next(box for box in at.selectbox if box.label == "Record")


def _text(at: AppTest) -> str:
    """What the page says, Markdown escapes undone."""
    return re.sub(r"\\(.)", r"\1", _raw(at))


def _raw(at: AppTest) -> str:
    """The Markdown of the page's text elements."""
    parts = [m.value for m in at.markdown] + [t.value for t in at.title] + [c.value for c in at.caption]
    parts += [h.value for h in at.header] + [h.value for h in at.subheader]
    parts += [w.value for w in at.warning] + [i.value for i in at.info] + [e.value for e in at.error]
    parts += [s.value for s in at.success]
    return "\n".join(str(p) for p in parts)


def _table(at: AppTest, column: str):
    """The first dataframe shown with this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _groups(at: AppTest) -> list[str]:
    """Record titles of the search result groups, in rank order."""
    return [m.value for m in at.markdown if re.match(r"\*\*\d+\. ", str(m.value))]


def _hit_kinds(at: AppTest) -> set[str]:
    """The kinds of the findings shown: the badge that opens each finding's line in a result."""
    return {m.group(1) for group in _groups(at)
            for m in re.finditer(r"^:\w+-badge\[(\w+)\] ", group, re.MULTILINE)}


def _detail_lines(at: AppTest) -> list[str]:
    """The small grey lines under each finding of the results (themes, effects, why)."""
    return [m.group(1) for group in _groups(at)
            for m in re.finditer(r"^:small\[:gray\[(.*)\]\]$", group, re.MULTILINE)]


def _count(at: AppTest) -> int:
    line = next(c.value for c in at.caption if "matching finding" in c.value)
    return int(line.split()[0])


# -- search ----------------------------------------------------------------------------------
def test_search_ranks_the_expected_record_first(shipped_copy: Path) -> None:
    at = _open("search")
    assert "Searches" in _text(at) and not _groups(at)  # no query yet: no index needed
    at.text_input(key="q").set_value("braided funding").run()
    assert not at.exception
    assert "Collaboration strategies for bridging health" in _groups(at)[0]
    assert "**braided** **funds**" in _raw(at)
    assert re.search(r"matching findings · best \d+ in \d+ records · \d+ ms", _text(at))


def test_search_state_comes_from_the_url(shipped_copy: Path) -> None:
    at = _open("search", params={"q": "数据共享", "kind": "barrier"})
    assert at.text_input(key="q").value == "数据共享"
    assert at.multiselect(key="kind").value == ["barrier"]
    assert _groups(at) and _hit_kinds(at) == {"barrier"}
    assert "**数据共享**" in _raw(at)  # the Chinese match is shown with its translation


def test_filters_narrow_the_results(shipped_copy: Path) -> None:
    at = _open("search")
    at.text_input(key="q").set_value("funding and data sharing").run()
    everything, kinds = _count(at), _hit_kinds(at)
    assert len(kinds) > 1
    at.multiselect(key="kind").set_value(["barrier"]).run()
    assert _hit_kinds(at) == {"barrier"} and _count(at) < everything
    at.multiselect(key="kind").set_value([]).run()
    at.multiselect(key="type").set_value(["discussion-paper"]).run()
    assert len(_groups(at)) == 1 and "John Snow" in _groups(at)[0]
    at.multiselect(key="type").set_value([]).run()
    at.multiselect(key="theme").set_value(["rural"]).run()
    themed = [line for line in _detail_lines(at) if line.startswith("themes:")]
    assert _count(at) < everything and themed and all("Rural settings" in t for t in themed)


def test_add_to_comparison_from_a_result(shipped_copy: Path) -> None:
    at = _open("search", params={"q": "braided funding"})
    at.button(key=f"basket_{CHUANG}").click().run()
    assert at.session_state["basket"] == [CHUANG]
    assert at.button(key=f"basket_{CHUANG}").label == "Remove from comparison"
    assert _url_list(at, "basket") == [CHUANG]  # a reload keeps it


def test_the_basket_comes_back_from_the_url_on_every_page(shipped_copy: Path) -> None:
    """A reload (or the URL in a new tab) starts a new session: the basket is read from the URL,
    and every page keeps it there."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["basket"] = [CHUANG, SAFAEINILI, CHUANG, "gone-record"]
    at.run()
    assert at.session_state["basket"] == [CHUANG, SAFAEINILI]
    for page in PAGES:
        at.switch_page(f"kb/app/pages/{page}.py").run()
        assert not at.exception, at.exception
        assert "2 records to compare" in [link.label for link in at.get("page_link")], page
        assert _url_list(at, "basket") == [CHUANG, SAFAEINILI], page


def _url_list(at: AppTest, key: str) -> list[str]:
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


# -- record ----------------------------------------------------------------------------------
def test_record_shows_english_and_chinese_side_by_side(shipped_copy: Path) -> None:
    at = _open("record", params={"id": CHUANG})
    text = _text(at)
    assert at.header[0].value.startswith("Collaboration strategies")
    assert "**DATA SOURCES AND STUDY SETTING**" in text and "Health Serv Res" in text
    assert at.segmented_control(key="text_view").value == "both"
    assert "数据共享对于系统整合是必要的" in text and "Data sharing is necessary" in text
    at.segmented_control(key="text_view").set_value("other").run()
    assert "数据共享对于系统整合是必要的" in _text(at) and "Data sharing is necessary" not in _text(at)
    at.segmented_control(key="text_view").set_value("en").run()
    assert "数据共享" not in _text(at)
    findings = _table(at, "kind")
    assert len(findings) == 8 and findings["kind"][0] == "strategy"
    assert {b.label for b in at.download_button} >= {"RIS", "BibTeX", "CSL-JSON"}
    assert "Whole Person Care Pilot program" in " ".join(_table(at, "Stands for")["Stands for"])


def test_record_flags_provenance_and_escaping(shipped_copy: Path) -> None:
    path = shipped_copy / "records" / f"{SEED_003}.json"
    data = json.loads(path.read_text())
    data["abstract"][0]["text"] = "<script>alert('x')</script> **not bold** " + data["abstract"][0]["text"]
    path.write_text(json.dumps(data))
    at = _open("record", params={"id": SEED_003})
    raw = _raw(at)
    assert "the source gives no title" in raw
    assert "\\<script\\>" in raw and "<script>" not in raw.replace("\\<script\\>", "")
    assert "\\*\\*not bold\\*\\*" in raw
    text = _text(at)
    assert "structured-abstract" in text or "structured" in text  # the source's format
    assert at.code and "BACKGROUND" in at.code[0].value  # the raw source text


def test_record_picker_changes_the_url(shipped_copy: Path) -> None:
    at = _open("record", params={"id": CHUANG})
    record_picker(at).set_value(SAFAEINILI).run()
    assert at.query_params["id"] == [SAFAEINILI] or at.query_params["id"] == SAFAEINILI


# -- compare ---------------------------------------------------------------------------------
def test_compare_shows_the_basket_in_two_columns(shipped_copy: Path) -> None:
    at = _open("compare", basket=[CHUANG, SAFAEINILI])
    assert at.multiselect(key="compare_ids").value == [CHUANG, SAFAEINILI]
    cards = [[p.label for p in c.page_link] for c in at.columns if len(c.page_link)]
    assert cards == [["**Chuang et al\\., 2025**"], ["**Safaeinili et al\\., 2025**"]]  # two columns
    text = _text(at)
    sections = [e.label for e in at.expander]
    for heading in ("Findings by kind", "Findings that say similar things",
                    "Findings unique to one source", "Themes each source supports", "Effects"):
        assert any(heading in label for label in sections), sections
    assert "Download" in text
    assert "used braided funds" in text and "program adaptability and flexibility" in text
    labels = {b.label for b in at.download_button}
    assert {"Brief (Markdown)", "Brief (Word)", "Evidence table (CSV)"} <= labels


def test_compare_needs_two_records_and_reads_the_url(shipped_copy: Path) -> None:
    at = _open("compare", basket=[CHUANG])
    assert "Pick 2 to 5 records" in _text(at)
    at = _open("compare", params={"ids": [SEED_003, CHUANG]})
    assert at.multiselect(key="compare_ids").value == [SEED_003, CHUANG]
    assert at.session_state["basket"] == [SEED_003, CHUANG]
    assert any("Findings by kind" in e.label for e in at.expander)
    labels = [b.label for b in at.download_button]  # seed 003 has ratio effects: the plot too
    assert labels[:4] == ["Brief (Markdown)", "Brief (Word)", "Forest plot (PNG)", "Forest plot (SVG)"]


# -- evidence map ----------------------------------------------------------------------------
def test_evidence_map_opens_a_theme_with_citations(shipped_copy: Path) -> None:
    at = _open("evidence_map")
    assert "Number of findings per theme and source" in _text(at)
    assert len(_table(at, "findings")) == 19
    at.selectbox(key="map_theme").set_value("contracting").run()
    text = _text(at)
    assert "Contracting" in [s.value for s in at.subheader]
    assert "(Chuang et al., 2025)" in text and "Safaeinili" in text
    links = [re.sub(r"\\(.)", r"\1", p.label) for p in at.page_link]
    assert any(link.startswith("(Chuang et al., 2025) Collaboration strategies") for link in links)


def test_evidence_map_of_the_basket_only(shipped_copy: Path) -> None:
    at = _open("evidence_map", basket=[CHUANG, SAFAEINILI])
    at.segmented_control(key="map_scope").set_value("basket").run()
    assert len(_table(at, "findings")) < 19


# -- add publication -------------------------------------------------------------------------
def test_add_previews_then_saves_and_the_record_is_searchable(shipped_copy: Path) -> None:
    at = _open("add")
    at.text_area(key="paste_text").set_value(NEW.read_text()).run()
    at.button(key="preview_paste").click().run()
    assert not at.exception
    assert "Preview — nothing is saved yet" in _text(at)
    assert len(list((shipped_copy / "records").glob("*.json"))) == 4  # nothing saved yet
    assert "Community health workers and housing navigation" in at.subheader[-1].value
    assert ":red-badge[barrier]" in _raw(at)
    at.text_area(key="authors_1_0_0").set_value("Rivera, Ana\nOkafor, Chidi")
    at.number_input(key="year_1_0_0").set_value(2024)
    at.button(key="apply_1_0_0").click().run()
    assert "Rivera A, Okafor C · 2024" in _text(at)
    at.button(key="save_1").click().run()
    assert not at.exception
    assert "pasted.txt: new rivera-2024-community-health" in _text(at)
    saved = json.loads((shipped_copy / "records" / "rivera-2024-community-health.json").read_text())
    assert saved["year"] == 2024 and saved["sources"][0]["path"] == "pasted.txt"
    assert at.text_area(key="paste_text").value == ""

    at.switch_page("kb/app/pages/search.py").run()
    at.text_input(key="q").set_value("co-location of CHWs in shelters").run()
    assert "Community health workers and housing navigation" in _groups(at)[0]


def test_add_warns_of_a_duplicate_and_offers_the_merge(shipped_copy: Path, seeds: list[Path]) -> None:
    seed = next(p for p in seeds if p.name.startswith("003_"))
    at = _open("add")
    at.text_area(key="paste_text").set_value(seed.read_text()).run()
    at.button(key="preview_paste").click().run()
    assert "Already in the knowledge base" in _text(at) and SEED_003 in _text(at)
    choice = at.radio(key="choice_1_0_0")
    assert choice.value == "merge" and choice.options == [
        f"Merge into {SEED_003} (stored values are kept, gaps filled, differences flagged for review)",
        "Save as a separate record"]
    choice.set_value("new").run()
    at.button(key="save_1").click().run()
    assert len(list((shipped_copy / "records").glob("*.json"))) == 5


def test_add_refuses_a_bad_doi_with_the_field_named(shipped_copy: Path) -> None:
    at = _open("add")
    at.text_area(key="paste_text").set_value(NEW.read_text()).run()
    at.button(key="preview_paste").click().run()
    at.text_input(key="doi_1_0_0").set_value("not-a-doi")
    at.button(key="apply_1_0_0").click().run()
    assert any("doi" in e.value and "is not a DOI" in e.value for e in at.error)
    assert len(list((shipped_copy / "records").glob("*.json"))) == 4


def test_upload_a_batch_previews_per_file_and_saves_every_record(shipped_copy: Path,
                                                                  external: Path) -> None:
    medline = external / "biopython__Tests__Medline__pubmed_result2.txt"
    at = _open("add")
    at.file_uploader(key="upload_files").set_value([
        ("new_abstract.txt", NEW.read_bytes(), "text/plain"),
        ("pubmed_result2.nbib", medline.read_bytes(), "text/plain"),
        ("empty.txt", b"   ", "text/plain")]).run()
    at.button(key="preview_files").click().run()
    assert not at.exception
    files = _table(at, "File")
    assert files["File"].tolist() == ["new_abstract.txt", "pubmed_result2.nbib", "empty.txt"]
    assert files["Records"].tolist() == [1, 4, 0] and files["Problems"].tolist()[2]
    assert at.selectbox(key="pick_1_1").options  # a file with 4 records: pick one to review
    at.button(key="save_1").click().run()
    results = {s.value.split(":")[0].replace("\\", "") for s in at.success}
    assert results == {"new_abstract.txt", "pubmed_result2.nbib"}
    assert len(list((shipped_copy / "records").glob("*.json"))) == 4 + 1 + 4


def test_add_with_nothing_pasted_says_so(shipped_copy: Path) -> None:
    at = _open("add")
    at.button(key="preview_paste").click().run()
    assert "Paste the text of a publication first." in _text(at)


# -- library ---------------------------------------------------------------------------------
def test_library_table_filters_and_check(shipped_copy: Path) -> None:
    at = _open("library")
    assert "4 of 4 records" in _text(at)
    table = _table(at, "flags")
    assert len(table) == 4 and table["year"].tolist().count("") == 2  # unknown years stay blank
    at.text_input(key="lib_text").set_value("discussion paper").run()
    assert "1 of 4 records" in _text(at)
    at.text_input(key="lib_text").set_value("").run()
    at.toggle(key="lib_flagged").set_value(True).run()
    assert len(_table(at, "flags")) < 4
    assert any("Check: no problems found" in e.label for e in at.expander)


def test_a_broken_record_file_is_reported_not_fatal(shipped_copy: Path) -> None:
    (shipped_copy / "records" / "broken-2020-file.json").write_text("{not json")
    for page in ("library", "search"):
        at = _open(page, params={"q": "braided funding"} if page == "search" else None)
        assert "could not be read and are left out" in _text(at)
    at = _open("library")
    assert "broken-2020-file.json: not valid JSON" in _text(at)
    assert any("1 problem(s) found" in e.label for e in at.expander)


@pytest.mark.parametrize("page", PAGES)
def test_empty_kb_tells_how_to_add(page: str, kb_home: Path) -> None:
    at = _open(page)
    if page == "add":
        assert "Paste an abstract or summary" in _text(at)
    else:
        assert "has no records yet" in _text(at) and "Add publication" in _text(at)


# -- at scale: the pages list records from the index ------------------------------------------
@pytest.mark.parametrize("page", ["record", "compare", "evidence_map", "library", "duplicates"])
def test_pages_do_not_read_every_record(page: str, shipped_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a page lists comes from the search index; reading every record file took minutes at
    100,000 records. (The evidence map draws its chart from the records only when there are few.)"""
    from kb.app import map_view
    from kb.store.folder import Store

    def refuse(self: Store) -> None:
        raise AssertionError("a page read every record")

    monkeypatch.setattr(Store, "readable", refuse)
    monkeypatch.setattr(Store, "load_all", refuse)
    monkeypatch.setattr(map_view, "MAX_MAP_SOURCES", 2)
    params = {"id": CHUANG} if page == "record" else {"tab": "Possible duplicates"} if page == "duplicates" else None
    at = _open("library" if page == "duplicates" else page, params=params, basket=[CHUANG, SAFAEINILI])
    assert not at.exception, at.exception
    if page == "duplicates":  # the queue comes from the dedup key cache
        assert "No possible duplicates" in _text(at)
    if page == "evidence_map":
        at.selectbox(key="map_theme").set_value("contracting").run()
        assert not at.exception and "Contracting" in [s.value for s in at.subheader]
    if page == "compare":
        assert any("Findings by kind" in e.label for e in at.expander)


def test_the_record_finder_narrows_the_picker(shipped_copy: Path) -> None:
    at = _open("record", params={"id": CHUANG})
    assert len(record_picker(at).options) == 4
    at.text_input(key="record_find").set_value("discussion paper").run()
    picker = record_picker(at)
    assert len(picker.options) == 2 and picker.value == CHUANG  # the record shown stays offered
    picker.set_value("john-snow-discussion-paper").run()
    assert "John Snow" in _text(at) and at.query_params["id"] in ("john-snow-discussion-paper",
                                                                  ["john-snow-discussion-paper"])
