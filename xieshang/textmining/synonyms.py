"""Near-synonyms of Chinese official writing, mapped to one canonical form.

A rewording of a proposal swaps such words ("强化" for "加强", "提议" for "建议"); comparing
canonical forms lets a faithful rewording score as what it is, while a change of word order
that changes the meaning still shows in the order-aware signal.
"""

from __future__ import annotations

import re

GROUPS = [
    ("加强", "强化", "增强"), ("建议", "提议"), ("群众", "百姓", "老百姓", "民众"),
    ("问题", "难题"), ("完善", "健全"), ("推进", "推动", "促进"), ("落实", "压实"),
    ("部门", "单位"), ("管理", "治理", "管控"), ("尽快", "抓紧", "尽早", "及早"),
    ("存在", "出现"), ("严重", "突出"), ("目前", "当前", "现在", "眼下"), ("资金", "经费"),
    ("农村", "乡村"), ("城市", "城区"), ("饮水", "饮用水"), ("学校", "校园"),
    ("老人", "老年人"), ("儿童", "孩子", "少儿"), ("解决", "破解", "化解"), ("提高", "提升"),
    ("建立", "建设", "构建"), ("规范", "整顿"), ("监督", "督查"), ("保障", "保证"),
    ("措施", "举措"), ("政策", "制度"), ("企业", "公司"), ("工资", "薪水", "薪酬"),
    ("员工", "职工", "工人"), ("医院", "医疗机构"), ("道路", "公路"), ("改善", "改进"),
    ("开展", "进行"), ("扩大", "拓展"), ("鼓励", "引导"), ("支持", "扶持"), ("帮助", "帮扶"),
    ("困难", "难处"), ("迅速", "快速"), ("有效", "切实"), ("认真", "切实"), ("关于", "有关"),
]
# Longest first, so that "老百姓" is replaced before "百姓".
_TABLE = sorted(((word, group[0]) for group in GROUPS for word in group[1:]),
                key=lambda pair: -len(pair[0]))
_PATTERN = re.compile("|".join(re.escape(w) for w, _ in _TABLE))
_MAP = dict(_TABLE)


def canonical(text: str) -> str:
    return _PATTERN.sub(lambda m: _MAP[m.group(0)], text or "")
