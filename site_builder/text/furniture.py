"""Page furniture: the lines a web page or a document-sharing site puts around a report (font-size
switches, print and share links, location bars, page numbers, the site's header with today's
date). The importer drops them; `check` warns about those left in a report."""

from __future__ import annotations

import re

BOILERPLATE = re.compile(
    r"^(?:[•·|｜\s]|字号|[大中小](?=\s|$|[】\]])|打印(?:本页|此页)?|关闭(?:窗口|本页)?|分享到?|收藏|"
    r"【|】|\[|\]|[:：]|默认|背景色|返回顶部|扫一扫.*|在手机上打开|微信|微博|QQ空间|纠错)+$")
LOCATION = re.compile(r"^\s*(?:您(?:当前)?所在的?位置|当前位置)\s*[:：]")
PAGE_NUMBER = re.compile(r"^\s*[-—–]?\s*\d{1,3}\s*[-—–]?\s*$|^\s*第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?\s*$")


SITE_HEADER = re.compile(r"^(?P<site>[\u4e00-\u9fff]{2,30}?(?:人民政府|政府|门户网站|网站))\s*\d{4}年\d{1,2}月\d{1,2}日\s*星期[一二三四五六日天]"
                         r"(?:\s*(?:无障碍|简体|繁体|[|｜]|长者模式|关怀版|English))*\s*$")
"""A site's header: its name and today's date (not the report's), as it prints them on every page."""
TODAY = re.compile(r"^今天是\s*[:：]?\s*\d{4}年\d{1,2}月\d{1,2}日")
SITE_TOOLS = re.compile(r"^(?:\s*(?:无障碍|简体|繁体|简|繁|[|｜/]|长者模式|关怀版|English|登录|注册|网站地图|智能问答|设为首页|加入收藏|首页))+\s*$")
AGGREGATOR = re.compile(r"小编|供大家参考|网友投稿|公文范文|仅展示\s*\d+\s*字|全文共\s*\d+\s*字|开头部分已省略|我要投稿|版权声明|免责声明|》是\d{4}年.{2,40}发布的|"
                        r"(?:来源|作者)\s*[:：]\s*(?:网络整理|网络|互联网|佚名|转载)(?:\s|$)")
"""Lines that document-sharing sites add around a report they copied (and their description of it);
`发布时间:… 来源:网络整理`, `作者:佚名`: the date on such a line is the copy's, not the report's."""


def page_furniture(text: str) -> tuple[str, str]:
    """(kind, the site's name if it is a site header) of a line a web page adds around the
    report — ('', '') for any other line."""
    stripped = text.strip()
    header = SITE_HEADER.match(stripped)
    if header:
        return "site-header", header.group("site")
    if TODAY.match(stripped) or (stripped and SITE_TOOLS.match(stripped)):
        return "boilerplate", ""
    if len(stripped) <= 120 and AGGREGATOR.search(stripped):
        return "aggregator", ""
    return "", ""



def is_boilerplate(text: str) -> bool:
    """Page furniture: font-size switches, print/close/share links, location bars, page numbers."""
    stripped = text.strip()
    if not stripped or len(stripped) > 40:
        return False
    return bool(BOILERPLATE.match(stripped) or LOCATION.match(stripped) or PAGE_NUMBER.match(stripped))
