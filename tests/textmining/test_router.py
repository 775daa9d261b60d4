from xieshang.textmining import segment
from xieshang.textmining.router import HEAD_CHARS, subject


def test_subject_is_the_text_before_the_salutation():
    assert subject("幸福小区停车位被占问题尊敬的领导：您好！我是业主") == "幸福小区停车位被占问题"
    assert subject("关于公交线路调整的建议您好，我们小区") == "关于公交线路调整的建议"


def test_subject_falls_back_to_the_opening():
    text = "尊敬的领导：我们村的道路年久失修，雨天无法通行，孩子上学很不方便，希望尽快修缮。"
    assert subject(text) == segment.normalise(text)[:HEAD_CHARS]  # a salutation first
    plain = "城区主干道夜间施工噪音扰民严重影响周边居民休息" * 3
    assert subject(plain) == plain[:HEAD_CHARS]  # no mark within 60 characters


def test_search_words_add_the_words_inside_a_long_word():
    words = segment.search_words("推进乡村振兴")
    assert "乡村振兴" in words and "乡村" in words and "振兴" in words
    assert "推进" not in words  # stop words stay out, as in words()
    with segment.using(segment.UserDictionary(terms=(("幸福里小区", "ns", 10),))):
        assert "幸福里小区" in segment.search_words("幸福里小区停车难")


def test_a_model_of_the_previous_format_is_not_used(tmp_path):
    import pytest

    from xieshang.textmining.router import FORMAT_VERSION, RouterModel, train

    texts = ["学校食堂卫生差尊敬的领导：食堂饭菜不卫生", "公交线路太少您好，我们小区没有公交",
             "学校校车不安全我是家长，校车超载", "公交站台破损尊敬的领导：站台坏了"]
    model = train(texts, ["教育", "交通", "教育", "交通"])
    assert model.version == FORMAT_VERSION == 3
    model.version = FORMAT_VERSION - 1  # a file written before the subject and search blocks
    model.save(tmp_path / "old.joblib")
    with pytest.raises(ValueError, match="older version"):
        RouterModel.load(tmp_path / "old.joblib")
    model.version = FORMAT_VERSION
    model.save(tmp_path / "new.joblib")
    assert RouterModel.load(tmp_path / "new.joblib").predict(["校车超载"]) == ["教育"]
