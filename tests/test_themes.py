import pytest

from soslokal_lib import THEMES, SoslokalError, get_theme
from soslokal_lib.themes import (
    THEME_CODES,
    load_theme_overrides,
    scale_cutoffs,
    split_numbering,
    theme_labels,
    theme_questions,
)

OFFICIAL_ORDER = [
    "moving_around", "public_transport", "traffic_parking", "streets_spaces", "natural_space",
    "play_recreation", "facilities_services", "work_economy", "housing_community",
    "social_interaction", "identity_belonging", "feeling_safe", "care_maintenance",
    "influence_control",
]


def test_fourteen_themes_in_official_order():
    assert list(THEME_CODES) == OFFICIAL_ORDER
    assert [t.number for t in THEMES] == list(range(1, 15))
    assert THEMES[6].name_en == "Facilities and services"
    assert THEMES[9].name_en == "Social interaction"


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("feeling_safe", "feeling_safe"),
        (12, "feeling_safe"),
        ("12", "feeling_safe"),
        ("  FEELING   safe ", "feeling_safe"),
        ("Facilities and amenities", "facilities_services"),  # 2015 name
        ("Social contact", "social_interaction"),  # 2015 name
        ("3. Traffic and parking", "traffic_parking"),
        ("Spm 3 – Trafikk og parkering", "traffic_parking"),
        ("trygghet", "feeling_safe"),
        ("Natur og grøntområder", "natural_space"),
        ("14) Influence and sense of control", "influence_control"),
    ],
)
def test_get_theme_by_any_key(key, code):
    assert get_theme(key).code == code


@pytest.mark.parametrize("key", [0, 15, "Weather", True])
def test_get_theme_rejects_unknown(key):
    with pytest.raises(SoslokalError):
        get_theme(key)


def test_unknown_name_suggests_close_match():
    with pytest.raises(SoslokalError, match="feeling safe"):
        get_theme("feeling saef")


def test_labels_and_overrides(tmp_path):
    assert theme_labels("en")["natural_space"] == "Natural space"
    assert theme_labels("nb")["natural_space"] == "Natur og grøntområder"
    labels = theme_labels("nb", {"Trygghet": "Trygghet i nærmiljøet"})
    assert labels["feeling_safe"] == "Trygghet i nærmiljøet"
    toml = tmp_path / "etiketter.toml"
    toml.write_text('[labels.nb]\n12 = "Trygt her"\n[questions.en]\nfeeling_safe = "Safe?"\n',
                    encoding="utf-8")
    overrides = load_theme_overrides(toml)
    assert overrides["labels"]["nb"] == {"feeling_safe": "Trygt her"}
    assert theme_questions("en", overrides["questions"]["en"])["feeling_safe"] == "Safe?"


def test_bad_override_file_names_file_and_table(tmp_path):
    toml = tmp_path / "feil.toml"
    toml.write_text('[labels.nb]\n"Været" = "x"\n', encoding="utf-8")
    with pytest.raises(SoslokalError, match=r"feil\.toml.*labels\.nb"):
        load_theme_overrides(toml)


def test_split_numbering():
    assert split_numbering("Spm 3 – Trafikk") == (3, "Trafikk")
    assert split_numbering("Trafikk") == (None, "Trafikk")


def test_scale_cutoffs():
    assert scale_cutoffs(7) == (3, 5)
    assert scale_cutoffs(3) == (1, 3)
    with pytest.raises(SoslokalError):
        scale_cutoffs(5)
