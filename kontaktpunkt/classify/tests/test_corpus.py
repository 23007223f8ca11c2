from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from kontaktpunkt.classify.corpus import (
    CORPUS_DIRECTORY,
    FIELD_FILES,
    HOLDOUT_FILE,
    OUT_OF_SCOPE_FILE,
    CorpusError,
    corpus_counts,
    corpus_fingerprint,
    corpus_load,
    corpus_split,
    examples_read,
    holdout_load,
    out_of_scope_load,
    out_of_scope_read,
    out_of_scope_split,
)
from kontaktpunkt.classify.taxonomy import taxonomy_load
from kontaktpunkt.classify.text import normalize


def test_every_subcategory_has_at_least_45_examples():
    counts = corpus_counts(corpus_load())
    assert set(counts) == set(taxonomy_load().codes)
    assert min(counts.values()) >= 45


def test_each_field_file_holds_only_its_own_field():
    taxonomy = taxonomy_load()
    for name in FIELD_FILES:
        examples = examples_read(CORPUS_DIRECTORY / name, taxonomy=taxonomy)
        fields = {taxonomy.category(e.category).field for e in examples}
        assert fields == {name.removesuffix(".jsonl")}


def test_no_text_occurs_twice_in_corpus_holdout_and_out_of_scope_together():
    texts = [normalize(e.text) for e in corpus_load() + holdout_load()]
    texts += [normalize(item.text) for item in out_of_scope_load()]
    assert len(texts) == len(set(texts))


def test_the_realistic_holdout_covers_every_subcategory_three_times():
    counts = corpus_counts(holdout_load())
    assert set(counts) == set(taxonomy_load().codes)
    assert set(counts.values()) == {3}


def test_every_urgency_is_between_one_and_four():
    assert {e.urgency for e in corpus_load() + holdout_load()} == {1, 2, 3, 4}


def test_the_readme_counts_match_the_corpus():
    readme = (CORPUS_DIRECTORY / "README.md").read_text(encoding="utf-8")
    documented = {
        code: (int(corpus), int(holdout))
        for code, corpus, holdout in re.findall(
            r"^\| `([a-z-]+)` \| (\d+) \| (\d+) \|", readme, re.M
        )
    }
    corpus, holdout = corpus_counts(corpus_load()), corpus_counts(holdout_load())
    assert documented == {code: (corpus[code], holdout[code]) for code in taxonomy_load().codes}


def test_a_malformed_line_is_reported_with_file_and_line(tmp_path: Path):
    for name in (*FIELD_FILES, HOLDOUT_FILE):
        shutil.copy(CORPUS_DIRECTORY / name, tmp_path / name)
    with (tmp_path / "order.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"text": "Lärm", "category": "order-unicorns", "urgency": 2}\n')
    lines = len((tmp_path / "order.jsonl").read_text(encoding="utf-8").splitlines())
    with pytest.raises(CorpusError, match=rf"order.jsonl:{lines}: unknown category"):
        corpus_load(directory=tmp_path)


def test_an_urgency_outside_one_to_four_is_refused(tmp_path: Path):
    for name in FIELD_FILES:
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "social.jsonl").write_text(
        '{"text": "Hilfe", "category": "social-person-in-need", "urgency": 5}\n', encoding="utf-8"
    )
    with pytest.raises(CorpusError, match="urgency"):
        corpus_load(directory=tmp_path)


def test_the_split_is_stratified_disjoint_and_the_same_for_the_same_seed():
    examples = corpus_load()
    split = corpus_split(examples, seed=7, test_size=0.25)
    again = corpus_split(examples, seed=7, test_size=0.25)
    assert split == again
    assert not {e.text for e in split.train} & {e.text for e in split.test}
    assert len(split.train) + len(split.test) == len(examples)
    counts, test_counts = corpus_counts(examples), corpus_counts(split.test)
    assert all(abs(test_counts[code] - counts[code] / 4) <= 1 for code in counts)


def test_another_seed_gives_another_split():
    examples = corpus_load()
    assert corpus_split(examples, seed=1).test != corpus_split(examples, seed=2).test


def test_the_fingerprint_changes_when_the_corpus_changes(tmp_path: Path):
    for name in (*FIELD_FILES, OUT_OF_SCOPE_FILE):
        shutil.copy(CORPUS_DIRECTORY / name, tmp_path / name)
    before = corpus_fingerprint(directory=tmp_path)
    assert before == corpus_fingerprint()
    with (tmp_path / "social.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"text": "Neu", "category": "social-person-in-need", "urgency": 4}\n')
    changed = corpus_fingerprint(directory=tmp_path)
    assert changed != before
    with (tmp_path / OUT_OF_SCOPE_FILE).open("a", encoding="utf-8") as handle:
        handle.write('{"text": "Neu", "kind": "tiny"}\n')
    assert corpus_fingerprint(directory=tmp_path) != changed


def test_the_out_of_scope_texts_are_many_and_of_many_kinds():
    items = out_of_scope_load()
    kinds = Counter(item.kind for item in items)
    words = [len(normalize(item.text).split()) for item in items]
    assert len(items) >= 200
    assert len(kinds) >= 15 and min(kinds.values()) >= 10
    assert min(words) == 1 and max(words) >= 30
    english = [item for item in items if re.search(r"\b(the|your|you)\b", item.text)]
    assert len(english) >= 10


def test_the_readme_counts_the_out_of_scope_texts_per_kind():
    readme = (CORPUS_DIRECTORY / "README.md").read_text(encoding="utf-8")
    documented = {
        kind: int(count)
        for kind, count in re.findall(r"^\| `([a-z-]+)` \| (\d+) \|$", readme, re.M)
    }
    assert documented == Counter(item.kind for item in out_of_scope_load())
    total = re.search(r"^\| `out_of_scope.jsonl` \| .* \| (\d+) \|$", readme, re.M)
    assert total is not None and int(total.group(1)) == len(out_of_scope_load())


def test_the_out_of_scope_split_is_stratified_by_kind_and_the_same_for_the_same_seed():
    items = out_of_scope_load()
    split = out_of_scope_split(items, seed=7, test_size=0.25)
    assert split == out_of_scope_split(items, seed=7, test_size=0.25)
    assert len(split.train) + len(split.test) == len(items)
    assert not {i.text for i in split.train} & {i.text for i in split.test}
    counts, test_counts = Counter(i.kind for i in items), Counter(i.kind for i in split.test)
    assert all(abs(test_counts[kind] - counts[kind] / 4) <= 1 for kind in counts)


def test_an_out_of_scope_line_without_a_kind_is_reported_with_file_and_line(tmp_path: Path):
    path = tmp_path / OUT_OF_SCOPE_FILE
    path.write_text('{"text": "Danke", "kind": "thanks"}\n{"text": "Hallo"}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=rf"{OUT_OF_SCOPE_FILE}:2: not an out-of-scope line"):
        out_of_scope_read(path)
    path.write_text('{"text": " ?! ", "kind": "tiny"}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="empty text"):
        out_of_scope_read(path)
