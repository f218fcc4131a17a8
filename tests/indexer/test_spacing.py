"""Collapsing white space a slice at a time gives what str.split() would."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer import spacing
from indexer.spacing import single_spaced


@given(st.text(alphabet=" a\n\tb\xa0\u2003é\r", max_size=80))
def test_single_spaced_is_split_and_join_whatever_the_slices(text: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(spacing, "SLICE_CHARS", 7)
        assert single_spaced(text) == " ".join(text.split())
