"""The `xieshang text` commands on CSV files of the evaluation's shape."""

import csv
import json
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

TOPICS = {
    "教育局": ["学校食堂卫生", "教师编制不足", "校车安全管理", "幼儿园入园难", "课后服务收费"],
    "交通局": ["公交班次太少", "道路坑洼不平", "停车位不足", "农村客运停运", "红绿灯设置"],
    "卫健局": ["乡镇卫生院缺医生", "挂号难", "药价偏高", "疫苗接种预约", "家庭医生签约"],
    "生态环境局": ["河道污水直排", "养殖场粪污", "工地扬尘", "秸秆焚烧", "餐馆油烟扰民"],
}


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def labelled_rows(n, seed=0):
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        unit = rng.choice(list(TOPICS))
        topic = rng.choice(TOPICS[unit])
        rows.append({"title": f"关于{topic}的建议", "body": f"群众反映{topic}问题，希望尽快解决。",
                     "unit": unit, "time": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                     "likes": str(rng.randint(0, 9))})
    return rows


def test_router_train_and_evaluate_prints_macro_f1_last(tmp_path, capsys):
    write_csv(tmp_path / "train.csv", labelled_rows(200, seed=1))
    write_csv(tmp_path / "test.csv", labelled_rows(60, seed=2))
    model = tmp_path / "model.joblib"
    call_command("text", "router-train", "--csv", str(tmp_path / "train.csv"),
                 "--text-column", "title", "--text-column", "body", "--label-column", "unit",
                 "--out", str(model))
    capsys.readouterr()
    call_command("text", "router-evaluate", "--csv", str(tmp_path / "test.csv"),
                 "--text-column", "title", "--text-column", "body", "--label-column", "unit",
                 "--model", str(model))
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1].startswith("macro_f1=")
    assert float(lines[-1].split("=")[1]) > 0.9


def test_gb18030_file_with_empty_rows_is_read(tmp_path):
    rows = labelled_rows(80)
    rows.insert(5, {k: "" for k in rows[0]})
    write_csv(tmp_path / "gbk.csv", rows, encoding="gb18030")
    call_command("text", "router-train", "--csv", str(tmp_path / "gbk.csv"),
                 "--text-column", "title", "--label-column", "unit",
                 "--out", str(tmp_path / "m.joblib"))
    assert (tmp_path / "m.joblib").exists()


def test_unknown_column_is_one_clear_error(tmp_path):
    write_csv(tmp_path / "a.csv", labelled_rows(10))
    with pytest.raises(CommandError, match="no column named 'nope'") as info:
        call_command("text", "router-train", "--csv", str(tmp_path / "a.csv"),
                     "--text-column", "nope", "--label-column", "unit",
                     "--out", str(tmp_path / "m"))
    assert info.value.returncode == 2


def test_missing_file_and_bad_model_are_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="file not found"):
        call_command("text", "similarity", "--csv", str(tmp_path / "none.csv"),
                     "--a-column", "a", "--b-column", "b", "--out", str(tmp_path / "o.csv"))
    write_csv(tmp_path / "a.csv", labelled_rows(10))
    (tmp_path / "bad.joblib").write_text("not a model")
    with pytest.raises(CommandError, match="cannot read the model"):
        call_command("text", "router-evaluate", "--csv", str(tmp_path / "a.csv"),
                     "--text-column", "title", "--label-column", "unit",
                     "--model", str(tmp_path / "bad.joblib"))


def test_similarity_adds_a_score_column(tmp_path):
    rows = [
        {"a": "关于加强农村饮水安全保障的建议", "b": "关于加强农村饮水安全保障工作的建议"},
        {"a": "关于加强农村饮水安全保障的建议", "b": "关于规范城区停车秩序的建议"},
        {"a": "", "b": "关于规范城区停车秩序的建议"},
    ]
    write_csv(tmp_path / "pairs.csv", rows)
    call_command("text", "similarity", "--csv", str(tmp_path / "pairs.csv"), "--a-column", "a",
                 "--b-column", "b", "--out", str(tmp_path / "out.csv"))
    with open(tmp_path / "out.csv", encoding="utf-8-sig") as fh:
        scores = [float(r["score"]) for r in csv.DictReader(fh)]
    assert all(0 <= s <= 1 for s in scores)
    assert scores[0] > 0.8 > scores[1]
    assert scores[2] == 0


def test_hot_topics_prints_json_lines(tmp_path, capsys):
    write_csv(tmp_path / "t.csv", labelled_rows(120))
    call_command("text", "hot-topics", "--csv", str(tmp_path / "t.csv"), "--text-column", "body",
                 "--time-column", "time", "--support-column", "likes", "--top", "3")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    topics = [json.loads(line) for line in lines]
    assert [t["rank"] for t in topics] == [1, 2, 3]
    assert set(topics[0]) == {"rank", "label", "size", "score", "first", "last", "ids",
                              "place", "problem", "support", "peak_share"}
    assert topics[0]["size"] == len(topics[0]["ids"]) >= 2


def test_similarity_streams_and_keeps_the_input_encoding_and_delimiter(tmp_path):
    rows = [{"a": f"关于加强第{i % 7}号线路公交\"班次\"的建议", "b": "关于规范城区停车秩序的建议",
             "note": str(i)} for i in range(50)]
    with open(tmp_path / "pairs.csv", "w", newline="", encoding="gb18030") as fh:
        writer = csv.DictWriter(fh, fieldnames=["a", "b", "note"], delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    call_command("text", "similarity", "--csv", str(tmp_path / "pairs.csv"), "--a-column", "a",
                 "--b-column", "b", "--out", str(tmp_path / "out.csv"))
    raw = (tmp_path / "out.csv").read_bytes()
    text = raw.decode("gb18030")
    assert not raw.startswith(b"\xef\xbb\xbf")
    out = list(csv.DictReader(text.splitlines(), delimiter=";"))
    assert [r["note"] for r in out] == [str(i) for i in range(50)]
    assert [r["a"] for r in out] == [r["a"] for r in rows]  # quotes inside a field survive
    assert all(0 <= float(r["score"]) <= 1 for r in out)


def test_similarity_bom_for_excel(tmp_path):
    write_csv(tmp_path / "pairs.csv", [{"a": "农村饮水安全", "b": "农村饮水安全保障"}])
    call_command("text", "similarity", "--csv", str(tmp_path / "pairs.csv"), "--a-column", "a",
                 "--b-column", "b", "--out", str(tmp_path / "out.csv"), "--bom")
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_quote_inside_a_text_does_not_cut_it_or_shift_the_label(tmp_path, capsys):
    """Texts holding quotation marks (written doubled, as every spreadsheet does) are read
    whole: guessing the dialect from a sample once cut them there and moved text into the
    label column, which added made-up labels to the evaluation."""
    rows = labelled_rows(120, seed=3)
    for row in rows[::3]:
        row["body"] = f'他说"这个{row["body"]}",还有"再说一次"。'
    data = [{"text": f"{r['title']}{r['body']}", "unit": r["unit"]} for r in rows]
    write_csv(tmp_path / "quoted.csv", data)
    call_command("text", "router-train", "--csv", str(tmp_path / "quoted.csv"),
                 "--text-column", "text", "--label-column", "unit",
                 "--out", str(tmp_path / "m.joblib"))
    assert "4 labels" in capsys.readouterr().out


def test_hot_topics_says_how_many_times_could_not_be_read(tmp_path, capsys):
    from benchmarks.hotgen import messages

    rows, _planted = messages(seed=2, background=120, unreadable=3)
    write_csv(tmp_path / "m.csv", rows, encoding="gb18030")
    call_command("text", "hot-topics", "--csv", str(tmp_path / "m.csv"),
                 "--text-column", "留言主题", "--text-column", "留言详情",
                 "--time-column", "留言时间",
                 "--support-column", "点赞数", "--id-column", "留言编号", "--top", "5")
    captured = capsys.readouterr()
    assert f"{len(rows)} rows with text; 3 with a time that could not be read" in captured.err
    assert len(captured.out.strip().splitlines()) == 5
