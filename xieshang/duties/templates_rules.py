"""Rule-set templates from real committees' published rules (reference/domain.md §6)."""

from __future__ import annotations

from typing import Any

TEMPLATES: dict[str, dict[str, Any]] = {
    "standard": {
        "name": "履职积分通用规则", "base": 0, "max": None,
        "rules": [
            ("proposal.first_filed", "提案立案（第一提案人）", 15, None),
            ("proposal.co_filed", "提案立案（联名提案人）", 3, None),
            ("proposal.key", "重点提案", 15, None),
            ("proposal.excellent", "优秀提案", 10, None),
            ("opinion.submitted", "报送社情民意信息", 10, None),
            ("opinion.adopted", "社情民意信息被采用", 5, None),
            ("opinion.adopted_city_plus", "社情民意被市级及以上采用", 6, None),
            ("opinion.instruction", "社情民意获领导批示", 5, None),
            ("activity.absent_unexcused:plenary", "无故缺席全体会议", -30, None),
            ("activity.absent_excused:plenary", "请假缺席全体会议", -10, None),
            ("activity.attended:*", "参加履职活动", 5, 40),
            ("speech.submitted", "大会发言或协商发言", 5, 20),
            ("suggestion.adopted", "意见建议被采纳", 5, 20),
            ("room.took_part", "参加网络议政", 3, 15),
            ("survey.answered", "填写委员问卷", 1, 5),
            ("studio.event", "参加委员工作室活动", 3, 15),
            ("manual:*", "其他履职事项", 5, 20),
        ],
        "bands": [("优秀", 85), ("合格", 60), ("基本合格", 40), ("不合格", -9999)],
    },
    "minhang": {
        "name": "闵行区政协委员履职积分（示例）", "base": 0, "max": None,
        "rules": [
            ("activity.attended:plenary", "出席全体会议（每半天5分）", 5, None),
            ("activity.attended:training", "参加培训", 10, None),
            ("activity.attended:*", "参加活动", 5, None),
            ("proposal.first_filed", "提案立案（领衔）", 15, None),
            ("proposal.co_filed", "提案立案（参与）", 3, None),
            ("proposal.key", "重点提案（领衔）", 15, None),
            ("proposal.key_co", "重点提案（参与）", 3, None),
            ("proposal.excellent", "优秀提案（领衔）", 10, None),
            ("proposal.excellent_co", "优秀提案（参与）", 2, None),
            ("opinion.submitted", "社情民意信息", 10, None),
        ],
        "bands": [("优秀", 85), ("合格", 60), ("待改进", -9999)],
    },
    "jinan": {
        "name": "济南市政协委员履职考核（示例，120分制）", "base": 70, "max": 120,
        "rules": [
            ("activity.absent_unexcused:plenary", "无故缺席全体会议", -30, None),
            ("activity.absent_excused:plenary", "请假缺席全体会议", -10, None),
            ("proposal.first_filed", "提案立案", 5, None),
            ("proposal.key", "重点提案", 5, None),
            ("proposal.excellent", "优秀提案", 10, None),
            ("opinion.adopted", "社情民意被采用", 5, None),
            ("activity.attended:*", "参加履职活动", 2, 20),
        ],
        "bands": [("优秀", 85), ("称职", 60), ("约谈", -9999)],
    },
    "tongcheng": {
        "name": "桐城市政协委员履职量化（示例）", "base": 0, "max": None,
        "rules": [
            ("activity.attended:plenary", "出席全体会议", 50, 50),
            ("activity.absent_excused:plenary", "请假缺席全体会议", 30, 30),
            ("proposal.submitted", "提交提案", 10, None),
            ("proposal.first_filed", "提案立案", 15, None),
            ("activity.attended:*", "参加活动", 2, 10),
            ("opinion.submitted", "社情民意信息", 10, 15),
            ("opinion.adopted", "社情民意被采用", 5, 15),
        ],
        "bands": [("优秀", 85), ("合格", 60), ("不合格", -9999)],
    },
}

WARNING_TEMPLATES = [
    {"name": "本届两次无故缺席全体会议", "kinds": ["activity.absent_unexcused:plenary"],
     "period": "term", "comparison": "at_least", "threshold": 2, "from_month": 1,
     "message": "您本届已两次无故缺席全体会议，请按规定履职。"},
    {"name": "本年度尚无提案和社情民意", "kinds": ["proposal.submitted", "proposal.co_submitted",
                                             "opinion.submitted"],
     "period": "year", "comparison": "at_most", "threshold": 0, "from_month": 9,
     "message": "您本年度尚未提交提案或社情民意信息，请在年底前积极履职。"},
]
