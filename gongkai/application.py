"""依申请公开: what the site tells an applicant and the forms it prints, from catalog/site.yml (contact block and
`application:`) and the rules of 《中华人民共和国政府信息公开条例》 (2019 revision). No MkDocs, no reportlab.

The legal text is fixed by the 条例 (Art. 27-33, 42), so it is written here once, for every bureau; what differs
between bureaus (channels, address, hours, the online form) comes from site.yml. The same data feeds the
column page (申请须知 and 流程图), the PDF forms (build/application_forms.py) and the DOCX forms.

The form's fields follow the sample 《政府信息公开申请表》 published by bureaus (e.g. 南华县人民政府, 公民 / 法人或者
其它组织 blocks, http://www.fbeltoni.com/file_read.aspx?id=15620), brought in line with 条例 Art. 29 (2019): the
用途 line is gone, 组织机构代码 is now the 统一社会信用代码.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.errors import Problems
from gongkai.load.fields import Fields
from gongkai.model import Site

CHANNELS = ("当面", "信函", "传真", "网上", "电子邮件")
APPLICATION_FIELDS = {"channels": "受理渠道（当面、信函、传真、网上、电子邮件）", "online": "网上申请地址",
                      "office": "受理机构（默认为 contact.office）"}
STATUTORY_DAYS = 20  # 条例 Art. 33: 20 working days
EXTENSION_DAYS = 20  # … extended by at most 20 more
CORRECTION_DAYS = 7  # Art. 30: 补正 asked for within 7 working days, once
THIRD_PARTY_DAYS = 15  # Art. 32: a third party answers within 15 days (not counted in the time limit)


@dataclass
class ApplicationRules:
    """site.yml `application:` as read."""

    channels: list[str] = field(default_factory=list)  # in CHANNELS order
    online: str = ""
    office: str = ""
    pdf_blocked: list[str] = field(default_factory=list, repr=False)  # why the PDF forms cannot be printed


def parse_application(problems: Problems, file: str, raw: object, site: Site) -> ApplicationRules:
    """`application:` of site.yml; channels default to those the contact block makes possible."""
    rules = ApplicationRules()
    f = Fields(problems, file, raw if raw is not None else {}, APPLICATION_FIELDS, "application")
    if not f.ok:
        return rules
    rules.online = f.str("online")
    rules.office = f.str("office")
    c = site.contact
    if rules.online and not rules.online.startswith(("http://", "https://")):
        f.err("online", f"网上申请地址「{rules.online}」应为以 http:// 或 https:// 开头的完整地址")
    needs = {"当面": ("address", "地址"), "信函": ("address", "地址"), "传真": ("fax", "传真"), "电子邮件": ("email", "电子邮箱")}
    if f.has("channels"):
        written = f.str_list("channels")
        for ch in written:
            if ch not in CHANNELS:
                f.err("channels", f"受理渠道「{ch}」无效，可选：{'、'.join(CHANNELS)}")
            elif ch == "网上" and not rules.online:
                f.err("channels", "写了「网上」渠道，但没有写网上申请地址（application.online）")
            elif ch in needs and not getattr(c, needs[ch][0]):
                # a warning: the contact block is what the guide publishes; the channel waits for it
                f.warn("channels", f"写了「{ch}」渠道，但 contact 中没有{needs[ch][1]}（contact.{needs[ch][0]}）："
                                   f"申请须知暂不列出这一渠道，请在 contact 中补充")
        rules.channels = [ch for ch in CHANNELS if ch in written and (ch not in needs or getattr(c, needs[ch][0]))
                          and (ch != "网上" or rules.online)]
    else:
        rules.channels = [ch for ch in CHANNELS if (ch == "网上" and rules.online)
                          or (ch in ("当面", "信函", "传真") and getattr(c, needs[ch][0]))]
    return rules


# --- the 申请须知 ---------------------------------------------------------------------------------------


@dataclass
class Section:
    heading: str
    paragraphs: list[str]
    items: list[str] = field(default_factory=list)


def office_name(site: Site, rules: ApplicationRules) -> str:
    return rules.office or site.contact.office or site.name


def channel_lines(site: Site, rules: ApplicationRules) -> list[tuple[str, str]]:
    """(渠道, how) for every channel the bureau accepts."""
    c = site.contact
    office = office_name(site, rules)
    where = f"{c.address}{f'（邮编 {c.postcode}）' if c.postcode else ''}"
    text = {
        "当面": f"到{office}（{c.address}）填写申请表提交" + (f"，办公时间：{c.hours}" if c.hours else "") + "。",
        "信函": f"将填好的申请表邮寄至 {where}，{office}收，信封左下角注明“政府信息公开申请”。",
        "传真": f"将填好的申请表传真至 {c.fax}，并在首页注明“政府信息公开申请”。",
        "网上": f"通过网上申请平台在线填写提交：{rules.online}",
        "电子邮件": f"将填好的申请表发送至 {c.email}，邮件主题注明“政府信息公开申请”。",
    }
    return [(f"{ch}申请", text[ch]) for ch in rules.channels]


RECEIPT_RULES = [  # 条例 Art. 31
    "当面提交申请的，以提交之日为收到申请之日；",
    "以邮寄方式提交申请的，以本机关签收之日为收到申请之日；以平常信函等无需签收的方式提交的，本机关于收到申请的当日"
    "与申请人确认，确认之日为收到申请之日；",
    "通过互联网渠道或者传真提交申请的，以双方确认之日为收到申请之日。",
]


def notice_sections(site: Site, rules: ApplicationRules) -> list[Section]:
    """The 申请须知, section by section (the page shows them in this order; the forms print the short form)."""
    office = office_name(site, rules)
    return [
        Section("申请内容", ["政府信息公开申请应当包括下列内容（《政府信息公开条例》第二十九条）："], [
            "申请人的姓名或者名称、身份证明、联系方式；",
            "申请公开的政府信息的名称、文号或者便于本机关查询的其他特征性描述；",
            "申请公开的政府信息的形式要求，包括获取信息的方式、途径。",
        ]),
        Section("申请方式", [f"申请人应当采用书面形式（包括数据电文形式）向{office}提出申请；采用书面形式确有困难的，"
                         "可以口头提出，由工作人员代为填写申请。一份申请表请只申请一项政府信息。"],
                [f"{k}：{v}" for k, v in channel_lines(site, rules)]),
        Section("补正", [f"申请内容不明确的，本机关自收到申请之日起 {CORRECTION_DAYS} 个工作日内一次性告知需要补正的事项和"
                       "合理的补正期限。答复期限自收到补正的申请之日起计算；申请人无正当理由逾期不补正的，视为放弃申请"
                       "（第三十条）。"]),
        Section("收到申请的日期", ["本机关收到申请的时间，按照下列规定确定（第三十一条）："], list(RECEIPT_RULES)),
        Section("答复期限", [f"能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起 {STATUTORY_DAYS} 个工作日内予以答复。"
                         f"需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过 {EXTENSION_DAYS} "
                         f"个工作日（第三十三条）。征求第三方和其他机关意见所需时间不计算在期限内；第三方应自收到征求意见书之日起 "
                         f"{THIRD_PARTY_DAYS} 个工作日内提出意见（第三十二条）。工作日不含法定节假日，调休上班日计入。"]),
        Section("收费", ["本机关依申请提供政府信息，不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，"
                       "可以依照《政府信息公开信息处理费管理办法》收取信息处理费（第四十二条）。"]),
        Section("救济途径", ["申请人认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开"
                         "工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼（第五十一条）。"]),
    ]


# --- the 流程图 ------------------------------------------------------------------------------------------


@dataclass
class FlowStep:
    title: str
    text: str
    branches: list[str] = field(default_factory=list)  # outcomes of this step, each a short sentence


def flow_steps() -> list[FlowStep]:
    """The process from application to reply (条例 Art. 29-36), as steps with their outcomes: the page shows
    them as an ordered list drawn as a chart, so a screen reader reads the same chart as text."""
    return [
        FlowStep("提出申请", "申请人通过当面、信函、传真或网上等渠道提交申请表。"),
        FlowStep("登记受理", "本机关确定收到申请的日期，登记申请。"),
        FlowStep("审查申请", "审查申请内容是否明确。", [
            "内容明确：进入办理。",
            f"内容不明确：{CORRECTION_DAYS} 个工作日内一次性告知补正；逾期不补正的视为放弃申请。",
        ]),
        FlowStep("办理", "查找信息，进行保密审查；涉及第三方合法权益的，书面征求第三方意见。"),
        FlowStep("作出答复", f"自收到申请之日起 {STATUTORY_DAYS} 个工作日内答复，经批准可延长最多 {EXTENSION_DAYS} 个工作日。", [
            "已经主动公开的：告知获取的方式和途径；",
            "可以公开的：向申请人提供该政府信息，或者告知获取的方式、途径和时间；",
            "不予公开的：告知不予公开并说明理由；",
            "经检索没有所申请信息的：告知该政府信息不存在；",
            "不属于本机关负责公开的：告知申请人，能够确定负责机关的，告知其名称和联系方式。",
        ]),
        FlowStep("送达", "按申请人选择的方式送达答复书和政府信息。"),
    ]


# --- the 申请表 ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormKind:
    key: str  # gm / fr: the file names
    label: str  # 公民 / 法人或者其他组织
    fields: tuple[str, ...]  # the applicant's block, in pairs on the printed form


FORMS_DIR = "forms"  # site/forms/: the forms, linked from the 依申请公开 column


def form_name(kind: FormKind, ext: str) -> str:
    """The file name of a form in FORMS_DIR: sqb-gm.pdf, sqb-fr.docx …"""
    return f"sqb-{kind.key}.{ext}"


def form_paths() -> list[str]:
    """Every site path a form may be published at (the PDF is left out while the font lacks a character)."""
    return [f"{FORMS_DIR}/{form_name(kind, ext)}" for kind in FORMS for ext in ("pdf", "docx")]


FORMS = (
    FormKind("gm", "公民", ("姓名", "证件名称", "证件号码", "工作单位", "联系电话", "电子邮箱", "通信地址", "邮政编码")),
    FormKind("fr", "法人或者其他组织", ("名称", "统一社会信用代码", "法定代表人或负责人", "联系人姓名", "联系人电话",
                                 "电子邮箱", "通信地址", "邮政编码")),
)
INFO_FIELDS = ("所需政府信息的名称、文号或者便于查询的其他特征性描述",)
FORMATS = ("纸质", "电子文档")  # 载体形式
DELIVERY = ("邮寄", "电子邮件", "当面领取", "传真")  # 获取途径
SIGNATURE = ("申请人签名（盖章）", "申请日期")


def form_title(site: Site, kind: FormKind) -> str:
    return f"{site.name}政府信息公开申请表（{kind.label}）"


def form_texts(site: Site, rules: ApplicationRules) -> list[str]:
    """Every text the printed forms show, for the font coverage check."""
    out = [site.name, office_name(site, rules), site.contact.address, site.contact.phone, site.contact.postcode]
    for kind in FORMS:
        out += [form_title(site, kind), kind.label, *kind.fields]
    out += [*INFO_FIELDS, *FORMATS, *DELIVERY, *SIGNATURE, *form_notes(site, rules)]
    return [t for t in out if t]


def form_notes(site: Site, rules: ApplicationRules) -> list[str]:
    """The 填表说明 printed under the form."""
    c = site.contact
    office = office_name(site, rules)
    lines = [
        "请如实、清楚填写，一份申请表只申请一项政府信息；带“*”的栏目为必填。",
        "当面申请的请出示有效身份证件；邮寄申请的请附身份证件（法人或者其他组织附营业执照等证明）复印件。",
        f"本机关自收到申请之日起 {STATUTORY_DAYS} 个工作日内答复；需要延长的，延长期限最长不超过 {EXTENSION_DAYS} 个工作日。",
    ]
    where = "，".join(p for p in (f"受理机构：{office}", f"地址：{c.address}" if c.address else "",
                                 f"邮编：{c.postcode}" if c.postcode else "", f"电话：{c.phone}" if c.phone else "") if p)
    lines.append(where + "。")
    return lines


def check_form_fonts(site: Site, problems: Problems) -> None:
    """Every character the PDF forms print is in the embedded font; else the PDF is left out with a warning
    naming the character (the DOCX, which uses the reader's fonts, is still published)."""
    from gongkai.typeset import missing_chars

    rules = site.application
    if rules is None:
        return
    for text in form_texts(site, rules):
        for ch in missing_chars(text):
            message = (f"字符「{ch}」（U+{ord(ch):04X}，见「{text[:30]}」）不在申请表 PDF 的字体中，会印成空白：PDF 申请表暂不生成"
                       "（DOCX 申请表照常发布）；请在 catalog/site.yml 中改用常用字")
            problems.warn(site.source.file, site.line_of("contact") or site.source.line, "contact", message)
            rules.pdf_blocked.append(message)


REQUIRED_FIELDS = {"所需信息描述", "姓名", "名称", "证件名称", "证件号码", "统一社会信用代码", "联系人姓名", "联系电话", "联系人电话", "通信地址"}
