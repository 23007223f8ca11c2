from __future__ import annotations

import pytest
from django import forms

from kontaktpunkt.core.forms import bbox_parse, latitude_field, longitude_field


def test_a_map_section_is_read_as_west_south_east_north():
    assert bbox_parse(" 6.4,51.25,6.7,51.42 ") == (6.4, 51.25, 6.7, 51.42)


def test_an_empty_map_section_means_none():
    assert bbox_parse("") is None and bbox_parse(None) is None


@pytest.mark.parametrize("value", ["1,2,3", "a,b,c,d", "6.7,51.25,6.4,51.42", "0,-91,1,0", "nan"])
def test_a_malformed_map_section_is_refused_in_german_words(value):
    with pytest.raises(forms.ValidationError):
        bbox_parse(value)


def test_a_point_outside_the_valid_range_is_refused():
    class PointForm(forms.Form):
        lat = latitude_field()
        lon = longitude_field()

    form = PointForm({"lat": "91", "lon": "6.5"})
    assert not form.is_valid()
    assert list(form.errors) == ["lat"]
