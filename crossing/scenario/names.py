"""Synthetic personal names per nationality, in realistic form and script.

Only common given names and common family names are combined at random: the output is
synthetic and must never be read as referring to a real individual.

Conventions
-----------
* ``passport`` is the Latin form as printed in the visual zone of a passport, upper case,
  without diacritics, in the order customary for the culture (family name first for Chinese,
  Taiwanese, Vietnamese, Khmer; given name first elsewhere).
* ``latin`` is the same name in ordinary mixed case with diacritics ("Nguyễn Văn Đức").
* ``native`` is the name in its own script (Hani, Ethi, Deva, Arab, Laoo, Khmr, Mymr) when
  that differs from ``latin``; Vietnamese/Czech/Romanian/Brazilian names with diacritics are
  native Latn names.
* Language codes are ISO 639-1 where one exists, else ISO 639-3 (e.g. "yue", "nan", "rhg", "luo").

Pure standard library.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate
from random import Random


class Table:
    """Weighted choice with precomputed cumulative weights (fast, deterministic)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, items, weights=None):
        self.items = list(items)
        if weights is None:
            weights = [1.0] * len(self.items)
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]

    def pick(self, rng: Random):
        return self.items[bisect(self.cum, rng.random() * self.total)]

    def index(self, rng: Random) -> int:
        return bisect(self.cum, rng.random() * self.total)


_FOLD = str.maketrans({"Đ": "D", "đ": "d", "Ø": "O", "ø": "o", "ß": "ss", "Ł": "L", "ł": "l"})


def fold(text: str) -> str:
    """Strip diacritics for the passport form (Nguyễn -> NGUYEN, Đức -> DUC, Dvořák -> DVORAK)."""
    text = text.translate(_FOLD)
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def passport_form(latin: str) -> str:
    return fold(latin).upper()


@dataclass(slots=True)
class GeneratedName:
    culture: str  # key of the culture generator (sub-culture for IN/MY/NG/...)
    latin: str
    passport: str
    native: str | None
    native_script: str | None
    language: str  # language of the name
    family: object  # culture-specific token shared with relatives (surname / father's name)
    given: str  # Latin given name (for nicknames)
    given_native: str | None = None
    father_latin: str | None = None  # for patronymic cultures


# =========================================================================== Chinese (PRC)
# Surname frequencies roughly follow the 2020 census ranking (percent, rounded); two-character
# surnames are rare but present.  (hanzi, pinyin, weight)
_CN_SURNAMES = Table(
    *zip(
        *[
            (("王", "Wang"), 7.1),
            (("李", "Li"), 7.0),
            (("张", "Zhang"), 6.7),
            (("刘", "Liu"), 5.4),
            (("陈", "Chen"), 4.5),
            (("杨", "Yang"), 3.1),
            (("黄", "Huang"), 2.2),
            (("赵", "Zhao"), 2.0),
            (("吴", "Wu"), 2.0),
            (("周", "Zhou"), 1.9),
            (("徐", "Xu"), 1.6),
            (("孙", "Sun"), 1.5),
            (("马", "Ma"), 1.5),
            (("朱", "Zhu"), 1.3),
            (("胡", "Hu"), 1.3),
            (("郭", "Guo"), 1.2),
            (("何", "He"), 1.2),
            (("林", "Lin"), 1.2),
            (("罗", "Luo"), 0.9),
            (("高", "Gao"), 1.0),
            (("郑", "Zheng"), 0.9),
            (("梁", "Liang"), 0.9),
            (("谢", "Xie"), 0.8),
            (("宋", "Song"), 0.8),
            (("唐", "Tang"), 0.8),
            (("许", "Xu"), 0.7),
            (("韩", "Han"), 0.7),
            (("冯", "Feng"), 0.7),
            (("邓", "Deng"), 0.7),
            (("曹", "Cao"), 0.6),
            (("彭", "Peng"), 0.6),
            (("曾", "Zeng"), 0.6),
            (("肖", "Xiao"), 0.6),
            (("田", "Tian"), 0.5),
            (("董", "Dong"), 0.5),
            (("袁", "Yuan"), 0.5),
            (("潘", "Pan"), 0.5),
            (("蒋", "Jiang"), 0.5),
            (("蔡", "Cai"), 0.5),
            (("余", "Yu"), 0.5),
            (("杜", "Du"), 0.5),
            (("叶", "Ye"), 0.5),
            (("程", "Cheng"), 0.5),
            (("苏", "Su"), 0.4),
            (("魏", "Wei"), 0.4),
            (("吕", "Lyu"), 0.4),
            (("丁", "Ding"), 0.4),
            (("任", "Ren"), 0.4),
            (("沈", "Shen"), 0.4),
            (("姚", "Yao"), 0.4),
            (("卢", "Lu"), 0.4),
            (("姜", "Jiang"), 0.4),
            (("崔", "Cui"), 0.3),
            (("钟", "Zhong"), 0.3),
            (("谭", "Tan"), 0.3),
            (("陆", "Lu"), 0.3),
            (("汪", "Wang"), 0.3),
            (("范", "Fan"), 0.3),
            (("金", "Jin"), 0.3),
            (("石", "Shi"), 0.3),
            (("廖", "Liao"), 0.3),
            (("贾", "Jia"), 0.3),
            (("夏", "Xia"), 0.3),
            (("韦", "Wei"), 0.3),
            (("付", "Fu"), 0.3),
            (("方", "Fang"), 0.3),
            (("邹", "Zou"), 0.3),
            (("熊", "Xiong"), 0.3),
            (("白", "Bai"), 0.3),
            (("孟", "Meng"), 0.3),
            (("秦", "Qin"), 0.3),
            (("邱", "Qiu"), 0.3),
            (("侯", "Hou"), 0.3),
            (("江", "Jiang"), 0.3),
            (("尹", "Yin"), 0.3),
            (("薛", "Xue"), 0.3),
            (("闫", "Yan"), 0.3),
            (("段", "Duan"), 0.2),
            (("雷", "Lei"), 0.2),
            (("黎", "Li"), 0.2),
            (("史", "Shi"), 0.2),
            (("龙", "Long"), 0.2),
            (("陶", "Tao"), 0.2),
            (("贺", "He"), 0.2),
            (("顾", "Gu"), 0.2),
            (("毛", "Mao"), 0.2),
            (("郝", "Hao"), 0.2),
            (("龚", "Gong"), 0.2),
            (("邵", "Shao"), 0.2),
            (("万", "Wan"), 0.2),
            (("覃", "Qin"), 0.2),
            (("武", "Wu"), 0.2),
            (("钱", "Qian"), 0.2),
            (("戴", "Dai"), 0.2),
            (("严", "Yan"), 0.2),
            (("莫", "Mo"), 0.2),
            (("孔", "Kong"), 0.2),
            (("向", "Xiang"), 0.2),
            (("常", "Chang"), 0.2),
            (("欧阳", "Ouyang"), 0.05),
            (("司马", "Sima"), 0.01),
            (("上官", "Shangguan"), 0.01),
            (("诸葛", "Zhuge"), 0.01),
            (("司徒", "Situ"), 0.01),
            (("东方", "Dongfang"), 0.005),
            (("皇甫", "Huangfu"), 0.005),
            (("慕容", "Murong"), 0.005),
            (("夏侯", "Xiahou"), 0.003),
        ],
        strict=True,
    )
)
_CN_GIVEN_M = Table(
    [
        ("伟", "wei"),
        ("强", "qiang"),
        ("磊", "lei"),
        ("军", "jun"),
        ("勇", "yong"),
        ("杰", "jie"),
        ("涛", "tao"),
        ("明", "ming"),
        ("超", "chao"),
        ("鹏", "peng"),
        ("辉", "hui"),
        ("浩", "hao"),
        ("宇", "yu"),
        ("俊", "jun"),
        ("鑫", "xin"),
        ("斌", "bin"),
        ("波", "bo"),
        ("海", "hai"),
        ("峰", "feng"),
        ("建", "jian"),
        ("国", "guo"),
        ("志", "zhi"),
        ("文", "wen"),
        ("东", "dong"),
        ("华", "hua"),
        ("平", "ping"),
        ("刚", "gang"),
        ("飞", "fei"),
        ("亮", "liang"),
        ("龙", "long"),
        ("成", "cheng"),
        ("子", "zi"),
        ("轩", "xuan"),
        ("博", "bo"),
        ("晨", "chen"),
        ("天", "tian"),
        ("家", "jia"),
        ("豪", "hao"),
        ("凯", "kai"),
        ("健", "jian"),
        ("林", "lin"),
        ("阳", "yang"),
        ("振", "zhen"),
        ("坤", "kun"),
        ("宏", "hong"),
        ("荣", "rong"),
        ("新", "xin"),
        ("春", "chun"),
        ("德", "de"),
        ("金", "jin"),
        ("永", "yong"),
        ("世", "shi"),
        ("泽", "ze"),
        ("瑞", "rui"),
        ("嘉", "jia"),
        ("毅", "yi"),
        ("铭", "ming"),
        ("睿", "rui"),
        ("旭", "xu"),
        ("帅", "shuai"),
    ]
)
_CN_GIVEN_F = Table(
    [
        ("芳", "fang"),
        ("娜", "na"),
        ("敏", "min"),
        ("静", "jing"),
        ("丽", "li"),
        ("艳", "yan"),
        ("燕", "yan"),
        ("霞", "xia"),
        ("婷", "ting"),
        ("雪", "xue"),
        ("慧", "hui"),
        ("玲", "ling"),
        ("洁", "jie"),
        ("颖", "ying"),
        ("琳", "lin"),
        ("欣", "xin"),
        ("梅", "mei"),
        ("萍", "ping"),
        ("红", "hong"),
        ("晓", "xiao"),
        ("雨", "yu"),
        ("思", "si"),
        ("佳", "jia"),
        ("月", "yue"),
        ("倩", "qian"),
        ("莉", "li"),
        ("丹", "dan"),
        ("露", "lu"),
        ("瑶", "yao"),
        ("妍", "yan"),
        ("淑", "shu"),
        ("媛", "yuan"),
        ("蓉", "rong"),
        ("晶", "jing"),
        ("琪", "qi"),
        ("秀", "xiu"),
        ("英", "ying"),
        ("桂", "gui"),
        ("兰", "lan"),
        ("凤", "feng"),
        ("梦", "meng"),
        ("涵", "han"),
        ("怡", "yi"),
        ("悦", "yue"),
        ("茜", "qian"),
    ]
)


def _cn(rng: Random, female: bool, fam=None) -> GeneratedName:
    sur_h, sur_p = fam if fam is not None else _CN_SURNAMES.pick(rng)
    table = _CN_GIVEN_F if female else _CN_GIVEN_M
    n = 1 if rng.random() < 0.3 else 2
    chars = [table.pick(rng) for _ in range(n)]
    if n == 2 and chars[0][0] == chars[1][0] and rng.random() < 0.7:
        chars[1] = table.pick(rng)
    given_h = "".join(c[0] for c in chars)
    given_p = "".join(c[1] for c in chars)
    latin = f"{sur_p} {given_p.capitalize()}"
    return GeneratedName(
        "CN",
        latin,
        latin.upper(),
        sur_h + given_h,
        "Hani",
        "zh",
        (sur_h, sur_p),
        chars[-1][1].capitalize(),
        given_h,
    )


# =========================================================================== Taiwan (traditional, Wade-Giles)
_TW_SURNAMES = Table(
    *zip(
        *[
            (("陳", "Chen"), 11.0),
            (("林", "Lin"), 8.3),
            (("黃", "Huang"), 6.0),
            (("張", "Chang"), 5.3),
            (("李", "Li"), 5.1),
            (("王", "Wang"), 4.1),
            (("吳", "Wu"), 4.0),
            (("劉", "Liu"), 3.2),
            (("蔡", "Tsai"), 2.9),
            (("楊", "Yang"), 2.7),
            (("許", "Hsu"), 2.3),
            (("鄭", "Cheng"), 1.9),
            (("謝", "Hsieh"), 1.8),
            (("郭", "Kuo"), 1.7),
            (("洪", "Hung"), 1.5),
            (("邱", "Chiu"), 1.5),
            (("曾", "Tseng"), 1.4),
            (("廖", "Liao"), 1.3),
            (("賴", "Lai"), 1.3),
            (("徐", "Hsu"), 1.3),
            (("周", "Chou"), 1.3),
            (("葉", "Yeh"), 1.2),
            (("蘇", "Su"), 1.2),
            (("莊", "Chuang"), 0.9),
            (("江", "Chiang"), 0.9),
            (("呂", "Lu"), 0.8),
            (("何", "Ho"), 0.8),
            (("蕭", "Hsiao"), 0.8),
            (("羅", "Lo"), 0.8),
            (("高", "Kao"), 0.8),
            (("潘", "Pan"), 0.6),
            (("簡", "Chien"), 0.6),
            (("朱", "Chu"), 0.6),
            (("鍾", "Chung"), 0.6),
            (("游", "Yu"), 0.6),
            (("彭", "Peng"), 0.6),
            (("詹", "Chan"), 0.6),
            (("胡", "Hu"), 0.5),
            (("施", "Shih"), 0.5),
            (("沈", "Shen"), 0.5),
        ],
        strict=True,
    )
)
_TW_GIVEN_M = Table(
    [
        ("志", "chih"),
        ("偉", "wei"),
        ("家", "chia"),
        ("豪", "hao"),
        ("建", "chien"),
        ("宏", "hung"),
        ("俊", "chun"),
        ("傑", "chieh"),
        ("明", "ming"),
        ("文", "wen"),
        ("哲", "che"),
        ("宇", "yu"),
        ("冠", "kuan"),
        ("廷", "ting"),
        ("承", "cheng"),
        ("翰", "han"),
        ("彥", "yen"),
        ("凱", "kai"),
        ("信", "hsin"),
        ("柏", "po"),
        ("維", "wei"),
        ("嘉", "chia"),
        ("政", "cheng"),
        ("銘", "ming"),
        ("育", "yu"),
        ("賢", "hsien"),
        ("仁", "jen"),
        ("榮", "jung"),
        ("國", "kuo"),
        ("昌", "chang"),
    ]
)
_TW_GIVEN_F = Table(
    [
        ("淑", "shu"),
        ("芬", "fen"),
        ("美", "mei"),
        ("玲", "ling"),
        ("怡", "yi"),
        ("婷", "ting"),
        ("雅", "ya"),
        ("惠", "hui"),
        ("佳", "chia"),
        ("慧", "hui"),
        ("君", "chun"),
        ("欣", "hsin"),
        ("如", "ju"),
        ("琪", "chi"),
        ("秀", "hsiu"),
        ("珍", "chen"),
        ("麗", "li"),
        ("萱", "hsuan"),
        ("筠", "yun"),
        ("涵", "han"),
        ("蓉", "jung"),
        ("芳", "fang"),
        ("文", "wen"),
        ("宜", "yi"),
    ]
)


def _tw(rng: Random, female: bool, fam=None) -> GeneratedName:
    sur_h, sur_w = fam if fam is not None else _TW_SURNAMES.pick(rng)
    table = _TW_GIVEN_F if female else _TW_GIVEN_M
    a, b = table.pick(rng), table.pick(rng)
    while b[0] == a[0]:
        b = table.pick(rng)
    given_w = f"{a[1].capitalize()}-{b[1]}"
    latin = f"{sur_w} {given_w}"
    return GeneratedName(
        "TW",
        latin,
        latin.upper(),
        sur_h + a[0] + b[0],
        "Hani",
        "zh",
        (sur_h, sur_w),
        f"{b[1].capitalize()}",
        a[0] + b[0],
    )


# =========================================================================== Vietnam
_VN_SURNAMES = Table(
    *zip(
        *[
            ("Nguyễn", 38.0),
            ("Trần", 11.0),
            ("Lê", 9.5),
            ("Phạm", 7.0),
            ("Hoàng", 4.0),
            ("Huỳnh", 2.0),
            ("Phan", 4.5),
            ("Vũ", 3.0),
            ("Võ", 1.5),
            ("Đặng", 2.1),
            ("Bùi", 2.0),
            ("Đỗ", 1.4),
            ("Hồ", 1.3),
            ("Ngô", 1.3),
            ("Dương", 1.0),
            ("Lý", 0.5),
            ("Đinh", 1.0),
            ("Trương", 1.0),
            ("Mai", 0.5),
            ("Lương", 0.5),
            ("Cao", 0.5),
        ],
        strict=True,
    )
)
_VN_MIDDLE_M = Table(["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công"], [55, 8, 10, 10, 7, 5, 5])
_VN_MIDDLE_F = Table(["Thị", "Ngọc", "Thu", "Thanh", "Mỹ", "Kim"], [60, 12, 8, 8, 6, 6])
_VN_GIVEN_M = Table(
    [
        "Đức",
        "Hùng",
        "Dũng",
        "Tuấn",
        "Minh",
        "Long",
        "Nam",
        "Hải",
        "Quang",
        "Thắng",
        "Sơn",
        "Hiếu",
        "Phúc",
        "Huy",
        "Khánh",
        "Cường",
        "Trung",
        "Tài",
        "Vinh",
        "Bảo",
        "Hoàng",
        "Phong",
        "Thành",
        "Tùng",
        "Việt",
        "Khoa",
        "Đạt",
        "Kiên",
        "Lâm",
        "Toàn",
    ]
)
_VN_GIVEN_F = Table(
    [
        "Lan",
        "Hương",
        "Linh",
        "Trang",
        "Hằng",
        "Thảo",
        "Ngọc",
        "Mai",
        "Hà",
        "Nhung",
        "Yến",
        "Phương",
        "Vy",
        "Anh",
        "Thủy",
        "Hoa",
        "Huyền",
        "Nga",
        "Dung",
        "Loan",
        "Quỳnh",
        "Trâm",
        "Hạnh",
        "Diệp",
    ]
)


def _vn(rng: Random, female: bool, fam=None) -> GeneratedName:
    sur = fam if fam is not None else _VN_SURNAMES.pick(rng)
    mid = (_VN_MIDDLE_F if female else _VN_MIDDLE_M).pick(rng)
    given = (_VN_GIVEN_F if female else _VN_GIVEN_M).pick(rng)
    while given == mid:
        given = (_VN_GIVEN_F if female else _VN_GIVEN_M).pick(rng)
    latin = f"{sur} {mid} {given}"
    return GeneratedName("VN", latin, passport_form(latin), None, None, "vi", sur, given)


# =========================================================================== India
_IN_HI_M = Table(
    [
        ("Rahul", "राहुल"),
        ("Amit", "अमित"),
        ("Vikas", "विकास"),
        ("Sanjay", "संजय"),
        ("Rohit", "रोहित"),
        ("Ajay", "अजय"),
        ("Sunil", "सुनील"),
        ("Manoj", "मनोज"),
        ("Deepak", "दीपक"),
        ("Ravi", "रवि"),
        ("Anil", "अनिल"),
        ("Vijay", "विजय"),
        ("Suresh", "सुरेश"),
        ("Ramesh", "रमेश"),
        ("Arjun", "अर्जुन"),
        ("Pankaj", "पंकज"),
        ("Nitin", "नितिन"),
        ("Sandeep", "संदीप"),
        ("Gaurav", "गौरव"),
        ("Ankit", "अंकित"),
        ("Abhishek", "अभिषेक"),
        ("Vivek", "विवेक"),
        ("Saurabh", "सौरभ"),
        ("Ashish", "आशीष"),
    ]
)
_IN_HI_F = Table(
    [
        ("Priya", "प्रिया"),
        ("Pooja", "पूजा"),
        ("Neha", "नेहा"),
        ("Anjali", "अंजलि"),
        ("Sunita", "सुनीता"),
        ("Kavita", "कविता"),
        ("Ritu", "रितु"),
        ("Sonia", "सोनिया"),
        ("Rekha", "रेखा"),
        ("Nisha", "निशा"),
        ("Shalini", "शालिनी"),
        ("Komal", "कोमल"),
    ]
)
_IN_HI_SUR = Table(
    [
        ("Kumar", "कुमार"),
        ("Sharma", "शर्मा"),
        ("Singh", "सिंह"),
        ("Yadav", "यादव"),
        ("Verma", "वर्मा"),
        ("Gupta", "गुप्ता"),
        ("Mishra", "मिश्रा"),
        ("Pandey", "पांडे"),
        ("Chauhan", "चौहान"),
        ("Thakur", "ठाकुर"),
        ("Tiwari", "तिवारी"),
        ("Jha", "झा"),
        ("Saini", "सैनी"),
        ("Rawat", "रावत"),
        ("Prasad", "प्रसाद"),
    ],
    [20, 12, 12, 8, 5, 5, 4, 4, 3, 3, 3, 2, 2, 2, 3],
)
_IN_SIKH_M = Table(
    [
        "Gurpreet",
        "Harjeet",
        "Manpreet",
        "Jaspreet",
        "Amandeep",
        "Harpreet",
        "Sukhwinder",
        "Lovepreet",
        "Gagandeep",
        "Navjot",
    ]
)
_IN_SIKH_F = Table(["Harpreet", "Simran", "Manpreet", "Navneet", "Jasleen", "Rajwinder"])
_IN_SOUTH_M = Table(
    [
        ("Karthik", "ta"),
        ("Senthil", "ta"),
        ("Arun", "ta"),
        ("Vignesh", "ta"),
        ("Prakash", "ta"),
        ("Dinesh", "ta"),
        ("Murugan", "ta"),
        ("Naveen", "te"),
        ("Srinivas", "te"),
        ("Venkatesh", "te"),
        ("Ramana", "te"),
        ("Anoop", "ml"),
        ("Jithin", "ml"),
        ("Sreejith", "ml"),
        ("Nikhil", "ml"),
        ("Akhil", "ml"),
    ]
)
_IN_SOUTH_F = Table(
    [
        ("Lakshmi", "ta"),
        ("Divya", "ta"),
        ("Kavitha", "ta"),
        ("Swathi", "te"),
        ("Anusha", "te"),
        ("Sreelakshmi", "ml"),
        ("Aswathy", "ml"),
        ("Anju", "ml"),
    ]
)
_IN_SOUTH_SUR = {
    "ta": Table(
        ["Senthilkumar", "Rajendran", "Murugesan", "Subramanian", "Balasubramanian", "Krishnan", "Selvam"]
    ),
    "te": Table(["Reddy", "Rao", "Naidu", "Chowdary", "Varma"]),
    "ml": Table(["Nair", "Menon", "Pillai", "Thomas", "Varghese", "Kurian", "Joseph"]),
}
_IN_MUSLIM_M = Table(
    [
        "Mohammed Irfan",
        "Shahid",
        "Imran",
        "Arif",
        "Salman",
        "Faizan",
        "Mohammad Asif",
        "Sameer",
        "Javed",
        "Tanveer",
    ]
)
_IN_MUSLIM_F = Table(["Nazia", "Shabnam", "Farheen", "Rukhsar", "Afreen"])
_IN_MUSLIM_SUR = Table(["Khan", "Ansari", "Shaikh", "Qureshi", "Siddiqui", "Pathan", "Malik"])


def _in(rng: Random, female: bool, fam=None) -> GeneratedName:
    sub = fam[0] if fam is not None else Table(["hi", "sikh", "south", "muslim"], [60, 10, 20, 10]).pick(rng)
    if sub == "hi":
        sur = fam[1] if fam is not None else _IN_HI_SUR.pick(rng)
        g = (_IN_HI_F if female else _IN_HI_M).pick(rng)
        if female and sur[0] == "Singh":
            sur = ("Kumari", "कुमारी") if rng.random() < 0.5 else sur
        latin = f"{g[0]} {sur[0]}"
        native = f"{g[1]} {sur[1]}" if rng.random() < 0.6 else None
        return GeneratedName(
            "IN", latin, latin.upper(), native, "Deva" if native else None, "hi", ("hi", sur), g[0], g[1]
        )
    if sub == "sikh":
        g = (_IN_SIKH_F if female else _IN_SIKH_M).pick(rng)
        sur = fam[1] if fam is not None and rng.random() < 0.5 else None
        latin = f"{g} {'Kaur' if female else 'Singh'}" + (f" {sur}" if sur else "")
        if sur is None and rng.random() < 0.4:
            sur = Table(["Gill", "Sandhu", "Sidhu", "Dhillon", "Grewal", "Brar"]).pick(rng)
            latin += f" {sur}"
        return GeneratedName("IN", latin, latin.upper(), None, None, "pa", ("sikh", sur), g)
    if sub == "south":
        lang = fam[1] if fam is not None else Table(["ta", "te", "ml"]).pick(rng)
        gt = _IN_SOUTH_F if female else _IN_SOUTH_M
        g = gt.pick(rng)
        while g[1] != lang:
            g = gt.pick(rng)
        sur = fam[2] if fam is not None else _IN_SOUTH_SUR[lang].pick(rng)
        latin = f"{g[0]} {sur}"
        return GeneratedName("IN", latin, latin.upper(), None, None, lang, ("south", lang, sur), g[0])
    sur = fam[1] if fam is not None else _IN_MUSLIM_SUR.pick(rng)
    g = (_IN_MUSLIM_F if female else _IN_MUSLIM_M).pick(rng)
    latin = f"{g} {sur}"
    return GeneratedName(
        "IN",
        latin,
        latin.upper(),
        None,
        None,
        "ur" if rng.random() < 0.3 else "hi",
        ("muslim", sur),
        g.split()[-1],
    )


# =========================================================================== Ethiopia (patronymic)
_ET_M = Table(
    [
        ("Abebe", "አበበ"),
        ("Bekele", "በቀለ"),
        ("Dawit", "ዳዊት"),
        ("Tesfaye", "ተስፋዬ"),
        ("Getachew", "ጌታቸው"),
        ("Solomon", "ሰለሞን"),
        ("Yohannes", "ዮሐንስ"),
        ("Mulugeta", "ሙሉጌታ"),
        ("Alemu", "አለሙ"),
        ("Girma", "ግርማ"),
        ("Tadesse", "ታደሰ"),
        ("Kebede", "ከበደ"),
        ("Mekonnen", "መኮንን"),
        ("Berhanu", "ብርሃኑ"),
        ("Yared", "ያሬድ"),
        ("Biniam", "ቢንያም"),
        ("Samuel", "ሳሙኤል"),
        ("Henok", "ሄኖክ"),
        ("Abel", "አቤል"),
        ("Eyob", "ኢዮብ"),
        ("Tekle", "ተክሌ"),
        ("Asfaw", "አስፋው"),
        ("Desta", "ደስታ"),
        ("Mesfin", "መስፍን"),
        ("Worku", "ወርቁ"),
        ("Lemma", "ለማ"),
        ("Tsegaye", "ፀጋዬ"),
        ("Haile", "ኃይሌ"),
        ("Fikadu", "ፍቃዱ"),
        ("Belay", "በላይ"),
        ("Kassahun", "ካሳሁን"),
        ("Amanuel", "አማኑኤል"),
        ("Natnael", "ናትናኤል"),
        ("Mikias", "ሚኪያስ"),
        ("Yonas", "ዮናስ"),
        ("Wondwossen", "ወንድወሰን"),
    ]
)
_ET_F = Table(
    [
        ("Tigist", "ትዕግስት"),
        ("Meron", "ሜሮን"),
        ("Selam", "ሰላም"),
        ("Hirut", "ሂሩት"),
        ("Almaz", "አልማዝ"),
        ("Bethlehem", "ቤተልሔም"),
        ("Hana", "ሐና"),
        ("Mahlet", "ማህሌት"),
        ("Tsion", "ጽዮን"),
        ("Rahel", "ራሔል"),
        ("Meseret", "መሰረት"),
        ("Genet", "ገነት"),
        ("Saba", "ሳባ"),
        ("Eden", "ኤደን"),
        ("Liya", "ሊያ"),
        ("Aster", "አስቴር"),
        ("Yordanos", "ዮርዳኖስ"),
        ("Kidist", "ቅድስት"),
        ("Feven", "ፌቨን"),
        ("Helen", "ሄለን"),
    ]
)
# Oromo names are written in Latin script (Qubee), so they have no separate native form.
_ET_OM_M = Table(
    ["Chala", "Gemechu", "Lemi", "Tolosa", "Abdisa", "Boru", "Gudeta", "Obsa", "Ebisa", "Tamirat"]
)
_ET_OM_F = Table(["Chaltu", "Lalise", "Hawi", "Ebise", "Obsitu", "Gadise"])


def _et(rng: Random, female: bool, fam=None) -> GeneratedName:
    sub = fam[0] if fam is not None else ("om" if rng.random() < 0.2 else "am")
    if sub == "om":
        g = (_ET_OM_F if female else _ET_OM_M).pick(rng)
        father = fam[1] if fam is not None else _ET_OM_M.pick(rng)
        grand = _ET_OM_M.pick(rng)
        latin = f"{g} {father}"
        return GeneratedName(
            "ET", latin, latin.upper(), None, None, "om", ("om", father), g, father_latin=f"{father} {grand}"
        )
    g = (_ET_F if female else _ET_M).pick(rng)
    if fam is not None:
        father, grand = fam[1], fam[2]
    else:
        father = _ET_M.pick(rng)
        grand = _ET_M.pick(rng)
        while grand[0] == father[0]:
            grand = _ET_M.pick(rng)
    while g[0] == father[0]:
        g = (_ET_F if female else _ET_M).pick(rng)
    if rng.random() < 0.3:  # given + father + grandfather, as on many Ethiopian passports
        latin, native = f"{g[0]} {father[0]} {grand[0]}", f"{g[1]} {father[1]} {grand[1]}"
    else:
        latin, native = f"{g[0]} {father[0]}", f"{g[1]} {father[1]}"
    return GeneratedName(
        "ET",
        latin,
        latin.upper(),
        native,
        "Ethi",
        "am",
        ("am", father, grand),
        g[0],
        g[1],
        father_latin=f"{father[0]} {grand[0]}",
    )


# =========================================================================== Indonesia (often one name)
_ID_MONO_M = Table(
    [
        "Supriyadi",
        "Sugianto",
        "Bambang",
        "Slamet",
        "Joko",
        "Agus",
        "Hendra",
        "Wahyudi",
        "Suryanto",
        "Heri",
        "Sutrisno",
        "Mulyadi",
    ]
)
_ID_MONO_F = Table(["Siti", "Sri", "Wati", "Yuliani", "Lestari", "Sumiati", "Nurhayati", "Suharti"])
_ID_FIRST_M = Table(
    [
        "Muhammad",
        "Ahmad",
        "Rizky",
        "Dedi",
        "Andi",
        "Fajar",
        "Budi",
        "Eko",
        "Dimas",
        "Arif",
        "Fauzan",
        "Yusuf",
        "Ilham",
        "Rudi",
        "Aditya",
        "Bayu",
    ]
)
_ID_LAST_M = Table(
    [
        "Pratama",
        "Saputra",
        "Setiawan",
        "Santoso",
        "Hidayat",
        "Nugroho",
        "Kurniawan",
        "Wijaya",
        "Firmansyah",
        "Ramadhan",
        "Hakim",
        "Siregar",
        "Simanjuntak",
        "Nasution",
        "Harahap",
        "Gunawan",
    ]
)
_ID_FIRST_F = Table(["Dewi", "Putri", "Nur", "Ayu", "Rina", "Fitri", "Indah", "Ratna", "Wulan", "Dian"])
_ID_LAST_F = Table(
    [
        "Lestari",
        "Anggraini",
        "Wulandari",
        "Rahmawati",
        "Sari",
        "Permata",
        "Handayani",
        "Utami",
        "Aini",
        "Siregar",
        "Nasution",
    ]
)


def _id(rng: Random, female: bool, fam=None) -> GeneratedName:
    r = rng.random()
    if r < 0.35:
        g = (_ID_MONO_F if female else _ID_MONO_M).pick(rng)
        return GeneratedName("ID", g, g.upper(), None, None, "jv", None, g)
    first = (_ID_FIRST_F if female else _ID_FIRST_M).pick(rng)
    # Batak clan names are inherited; Javanese/Malay second names are not
    last = fam if fam in _ID_BATAK else (_ID_LAST_F if female else _ID_LAST_M).pick(rng)
    latin = f"{first} {last}"
    if r > 0.85:
        latin = f"{first} {(_ID_FIRST_F if female else _ID_FIRST_M).pick(rng)} {last}"
    return GeneratedName(
        "ID", latin, latin.upper(), None, None, "id", last if last in _ID_BATAK else None, first
    )


_ID_BATAK = frozenset({"Siregar", "Simanjuntak", "Nasution", "Harahap"})


# =========================================================================== Philippines
_PH_M = Table(
    [
        "Mark Anthony",
        "John Paul",
        "Jerome",
        "Christian",
        "Angelo",
        "Michael",
        "Rodel",
        "Ryan",
        "Jayson",
        "Jomar",
        "Ronnel",
        "Kevin",
        "Carlo",
        "Joshua",
        "Rommel",
        "Aldrin",
        "John Mark",
    ]
)
_PH_F = Table(
    [
        "Maria Cristina",
        "Mary Joy",
        "Jennifer",
        "Angelica",
        "Kristine",
        "Rowena",
        "Jocelyn",
        "Lovely",
        "Princess",
        "Jasmine",
        "Mary Grace",
        "Rhea",
        "Shiela",
        "Joanna",
        "Kimberly",
        "Jonalyn",
        "Mary Ann",
    ]
)
_PH_SUR = Table(
    [
        "Santos",
        "Reyes",
        "Cruz",
        "Bautista",
        "Ocampo",
        "Garcia",
        "Mendoza",
        "Torres",
        "Castillo",
        "Flores",
        "Villanueva",
        "Ramos",
        "Castro",
        "Rivera",
        "Aquino",
        "Navarro",
        "Salazar",
        "Mercado",
        "Dela Cruz",
        "Gonzales",
        "Lopez",
        "Hernandez",
        "Dizon",
        "Manalo",
        "Pascual",
        "Soriano",
        "Tolentino",
        "Macaraeg",
        "Dimaculangan",
        "Panganiban",
    ]
)


def _ph(rng: Random, female: bool, fam=None) -> GeneratedName:
    given = (_PH_F if female else _PH_M).pick(rng)
    sur = fam if fam is not None else _PH_SUR.pick(rng)
    middle = _PH_SUR.pick(rng)
    while middle == sur:
        middle = _PH_SUR.pick(rng)
    latin = f"{given} {middle} {sur}"
    return GeneratedName(
        "PH", latin, latin.upper(), None, None, "ceb" if rng.random() < 0.2 else "tl", sur, given.split()[0]
    )


# =========================================================================== Pakistan (Latin + Urdu)
_PK_M = Table(
    [
        ("Ahmed", "احمد"),
        ("Ali", "علی"),
        ("Bilal", "بلال"),
        ("Usman", "عثمان"),
        ("Hamza", "حمزہ"),
        ("Imran", "عمران"),
        ("Asif", "آصف"),
        ("Kashif", "کاشف"),
        ("Zeeshan", "ذیشان"),
        ("Waqas", "وقاص"),
        ("Faisal", "فیصل"),
        ("Adnan", "عدنان"),
        ("Shahid", "شاہد"),
        ("Naveed", "نوید"),
        ("Tariq", "طارق"),
        ("Kamran", "کامران"),
        ("Umar", "عمر"),
        ("Saad", "سعد"),
        ("Junaid", "جنید"),
    ]
)
_PK_F = Table(
    [
        ("Ayesha", "عائشہ"),
        ("Fatima", "فاطمہ"),
        ("Sana", "ثناء"),
        ("Hina", "حنا"),
        ("Sadia", "سعدیہ"),
        ("Rabia", "رابعہ"),
        ("Maryam", "مریم"),
        ("Iqra", "اقراء"),
    ]
)
_PK_SUR = Table(
    [
        ("Khan", "خان"),
        ("Hussain", "حسین"),
        ("Ali", "علی"),
        ("Butt", "بٹ"),
        ("Malik", "ملک"),
        ("Chaudhry", "چوہدری"),
        ("Qureshi", "قریشی"),
        ("Sheikh", "شیخ"),
        ("Raza", "رضا"),
        ("Abbasi", "عباسی"),
        ("Iqbal", "اقبال"),
        ("Akhtar", "اختر"),
        ("Awan", "اعوان"),
        ("Shah", "شاہ"),
    ],
    [20, 10, 8, 6, 8, 6, 5, 5, 4, 4, 4, 4, 4, 6],
)


def _pk(rng: Random, female: bool, fam=None) -> GeneratedName:
    sur = fam if fam is not None else _PK_SUR.pick(rng)
    g = (_PK_F if female else _PK_M).pick(rng)
    while g[0] == sur[0]:
        g = (_PK_F if female else _PK_M).pick(rng)
    if not female and rng.random() < 0.35:
        latin, native = f"Muhammad {g[0]} {sur[0]}", f"محمد {g[1]} {sur[1]}"
    else:
        latin, native = f"{g[0]} {sur[0]}", f"{g[1]} {sur[1]}"
    has_native = rng.random() < 0.5
    return GeneratedName(
        "PK",
        latin,
        latin.upper(),
        native if has_native else None,
        "Arab" if has_native else None,
        "ur",
        sur,
        g[0],
        g[1],
    )


# =========================================================================== Malaysia (Malay / Chinese / Indian)
_MY_MALAY_M = Table(
    [
        "Muhammad Hafiz",
        "Ahmad Faiz",
        "Mohd Azlan",
        "Muhammad Amirul",
        "Aiman",
        "Syafiq",
        "Khairul Anuar",
        "Zulkifli",
        "Faizal",
        "Azman",
        "Muhammad Haziq",
        "Firdaus",
    ]
)
_MY_MALAY_F = Table(
    ["Nurul Aina", "Siti Nur Aisyah", "Nur Syafiqah", "Farah", "Aisyah", "Nor Azlina", "Nurul Izzati"]
)
_MY_MALAY_FATHER = Table(
    [
        "Abdullah",
        "Ismail",
        "Ibrahim",
        "Hassan",
        "Osman",
        "Yusof",
        "Rahman",
        "Aziz",
        "Hamid",
        "Razak",
        "Salleh",
        "Ahmad",
        "Zainal",
        "Kamarudin",
    ]
)
_MY_CN_SUR = Table(
    [
        ("Tan", "陈"),
        ("Lim", "林"),
        ("Lee", "李"),
        ("Ng", "黄"),
        ("Wong", "黄"),
        ("Ong", "王"),
        ("Chong", "张"),
        ("Teh", "郑"),
        ("Goh", "吴"),
        ("Chan", "陈"),
        ("Yap", "叶"),
        ("Low", "刘"),
        ("Chin", "陈"),
        ("Khoo", "邱"),
        ("Cheah", "谢"),
        ("Leong", "梁"),
        ("Lau", "刘"),
        ("Foo", "胡"),
        ("Chua", "蔡"),
    ]
)
_MY_CN_M = Table(
    [
        ("Wei Ming", "伟明"),
        ("Kah Hoe", "家豪"),
        ("Kok Leong", "国良"),
        ("Chee Keong", "志强"),
        ("Wai Kit", "伟杰"),
        ("Jun Hao", "俊豪"),
        ("Zhi Hao", "志豪"),
        ("Kien Loong", "建龙"),
        ("Yong Sheng", "永胜"),
        ("Soon Huat", "顺发"),
    ]
)
_MY_CN_F = Table(
    [
        ("Mei Ling", "美玲"),
        ("Siew Lan", "秀兰"),
        ("Hui Min", "慧敏"),
        ("Xin Yi", "欣怡"),
        ("Jia Hui", "佳慧"),
        ("Pei Shan", "佩珊"),
        ("Li Ting", "丽婷"),
        ("Wen Qi", "文琪"),
    ]
)
_MY_IN_M = Table(["Ganesh", "Ravi", "Suresh", "Vinod", "Prakash", "Saravanan", "Kumaresan"])
_MY_IN_F = Table(["Kavitha", "Devi", "Shanti", "Priya", "Thilaga"])
_MY_IN_FATHER = Table(
    ["Subramaniam", "Muniandy", "Krishnan", "Ramasamy", "Arumugam", "Selvaraj", "Rajendran"]
)


def _my(rng: Random, female: bool, fam=None) -> GeneratedName:
    sub = fam[0] if fam is not None else Table(["malay", "chinese", "indian"], [55, 35, 10]).pick(rng)
    if sub == "malay":
        g = (_MY_MALAY_F if female else _MY_MALAY_M).pick(rng)
        father = fam[1] if fam is not None else _MY_MALAY_FATHER.pick(rng)
        latin = f"{g} {'binti' if female else 'bin'} {father}"
        return GeneratedName(
            "MY",
            latin,
            latin.upper(),
            None,
            None,
            "ms",
            ("malay", father),
            g.split()[-1],
            father_latin=f"{father} bin {_MY_MALAY_FATHER.pick(rng)}",
        )
    if sub == "chinese":
        sur = fam[1] if fam is not None else _MY_CN_SUR.pick(rng)
        g = (_MY_CN_F if female else _MY_CN_M).pick(rng)
        latin = f"{sur[0]} {g[0]}"
        return GeneratedName(
            "MY", latin, latin.upper(), sur[1] + g[1], "Hani", "zh", ("chinese", sur), g[0].split()[-1], g[1]
        )
    g = (_MY_IN_F if female else _MY_IN_M).pick(rng)
    father = fam[1] if fam is not None else _MY_IN_FATHER.pick(rng)
    latin = f"{g} {'a/p' if female else 'a/l'} {father}"
    return GeneratedName(
        "MY",
        latin,
        latin.upper(),
        None,
        None,
        "ta",
        ("indian", father),
        g,
        father_latin=f"{father} a/l {_MY_IN_FATHER.pick(rng)}",
    )


# =========================================================================== East Africa
_KE_GIVEN_M = Table(
    [
        "Brian",
        "Kevin",
        "Dennis",
        "Collins",
        "Victor",
        "Samuel",
        "Joseph",
        "Peter",
        "Daniel",
        "Felix",
        "Emmanuel",
        "Geoffrey",
        "Stephen",
        "Evans",
        "Kelvin",
        "Ian",
    ]
)
_KE_GIVEN_F = Table(
    [
        "Faith",
        "Mercy",
        "Sharon",
        "Caroline",
        "Esther",
        "Winnie",
        "Purity",
        "Lilian",
        "Diana",
        "Joyce",
        "Janet",
        "Beatrice",
        "Cynthia",
        "Brenda",
        "Naomi",
    ]
)
# (language, male forms, female forms, family names)
_KE_GROUPS = Table(
    [
        (
            "luo",
            ["Otieno", "Ochieng", "Odhiambo", "Omondi", "Onyango"],
            ["Atieno", "Achieng", "Adhiambo", "Akinyi", "Anyango"],
            ["Otieno", "Ochieng", "Odhiambo", "Omondi", "Onyango", "Owino"],
        ),
        (
            "ki",
            ["Kamau", "Mwangi", "Njoroge", "Kariuki", "Waweru"],
            ["Wanjiru", "Wambui", "Njeri", "Wanjiku", "Nyambura"],
            ["Kamau", "Mwangi", "Njoroge", "Kariuki", "Waweru", "Maina"],
        ),
        (
            "kln",
            ["Kiprotich", "Kibet", "Kiprono", "Kipkorir"],
            ["Chebet", "Chepkoech", "Jeruto", "Jepchirchir"],
            ["Cheruiyot", "Rotich", "Koech", "Langat", "Kirui"],
        ),
        (
            "luy",
            ["Wafula", "Wekesa", "Barasa"],
            ["Nafula", "Nekesa", "Naliaka"],
            ["Wafula", "Wekesa", "Barasa", "Wanyama", "Simiyu"],
        ),
        (
            "kam",
            ["Mutua", "Musyoka", "Mutiso", "Kioko"],
            ["Mwikali", "Mueni", "Ndinda", "Mumbua"],
            ["Mutua", "Musyoka", "Mutiso", "Kioko", "Muthama"],
        ),
    ],
    [28, 30, 18, 14, 10],
)


def _ke(rng: Random, female: bool, fam=None) -> GeneratedName:
    grp = fam[0] if fam is not None else _KE_GROUPS.pick(rng)
    lang, m_forms, f_forms, families = grp
    given = (_KE_GIVEN_F if female else _KE_GIVEN_M).pick(rng)
    family = fam[1] if fam is not None else rng.choice(families)
    if rng.random() < 0.5:
        mid = rng.choice(f_forms if female else m_forms)
        latin = f"{given} {mid} {family}" if mid != family else f"{given} {family}"
    else:
        latin = f"{given} {family}"
    return GeneratedName("KE", latin, latin.upper(), None, None, lang, (grp, family), given)


_UG_GIVEN_M = Table(["Brian", "Ivan", "Isaac", "Moses", "Ronald", "Joseph", "Allan", "Denis", "Robert"])
_UG_GIVEN_F = Table(["Sarah", "Brenda", "Esther", "Prossy", "Shamim", "Joan", "Gloria", "Florence", "Agnes"])
_UG_FAMILY = Table(
    [
        ("Ssempala", "lg"),
        ("Mukasa", "lg"),
        ("Ssebunya", "lg"),
        ("Kato", "lg"),
        ("Nsubuga", "lg"),
        ("Okello", "ach"),
        ("Opio", "ach"),
        ("Ocen", "ach"),
        ("Tumusiime", "nyn"),
        ("Byaruhanga", "nyn"),
        ("Mugisha", "nyn"),
        ("Asiimwe", "nyn"),
        ("Atwine", "nyn"),
    ]
)
_UG_FAMILY_F = Table(
    [
        ("Namutebi", "lg"),
        ("Nakato", "lg"),
        ("Nabirye", "lg"),
        ("Nalwoga", "lg"),
        ("Akello", "ach"),
        ("Kyomuhendo", "nyn"),
        ("Asiimwe", "nyn"),
    ]
)


def _ug(rng: Random, female: bool, fam=None) -> GeneratedName:
    given = (_UG_GIVEN_F if female else _UG_GIVEN_M).pick(rng)
    family = fam if fam is not None and not female else (_UG_FAMILY_F if female else _UG_FAMILY).pick(rng)
    # Ugandan documents frequently put the family name first ("Namutebi Sarah")
    latin = f"{family[0]} {given}" if rng.random() < 0.4 else f"{given} {family[0]}"
    return GeneratedName("UG", latin, latin.upper(), None, None, family[1], family, given)


_TZ_M = Table(["Juma", "Baraka", "Hassan", "Emmanuel", "Joseph", "Godfrey", "Salum"])
_TZ_F = Table(["Neema", "Rehema", "Zawadi", "Upendo", "Mwanaisha", "Happiness"])
_TZ_SUR = Table(
    ["Mushi", "Mollel", "Mrisho", "Said", "Mwakyusa", "Massawe", "Kimaro", "Lyimo", "Swai", "Mbwana"]
)


def _simple(code: str, lang, given_m: Table, given_f: Table, surnames: Table, surname_first: float = 0.0):
    def gen(rng: Random, female: bool, fam=None) -> GeneratedName:
        given = (given_f if female else given_m).pick(rng)
        sur = fam if fam is not None else surnames.pick(rng)
        latin = f"{sur} {given}" if rng.random() < surname_first else f"{given} {sur}"
        lg = lang(rng) if callable(lang) else lang
        return GeneratedName(code, latin, passport_form(latin), None, None, lg, sur, given.split()[0])

    return gen


_tz = _simple("TZ", "sw", _TZ_M, _TZ_F, _TZ_SUR)

# =========================================================================== Southern / West / Central Africa
_ZA_M = Table(
    [
        ("Sipho", "zu"),
        ("Thabo", "st"),
        ("Mandla", "zu"),
        ("Themba", "zu"),
        ("Bongani", "zu"),
        ("Sibusiso", "zu"),
        ("Kagiso", "tn"),
        ("Tshepo", "tn"),
        ("Johan", "af"),
        ("Pieter", "af"),
        ("Ruan", "af"),
        ("Lwazi", "xh"),
        ("Ayanda", "xh"),
    ]
)
_ZA_F = Table(
    [
        ("Lerato", "st"),
        ("Zanele", "zu"),
        ("Nomvula", "zu"),
        ("Thandiwe", "xh"),
        ("Palesa", "st"),
        ("Naledi", "tn"),
        ("Anele", "xh"),
        ("Michelle", "en"),
        ("Chantelle", "af"),
    ]
)
_ZA_SUR = {
    "zu": ["Dlamini", "Nkosi", "Ndlovu", "Khumalo", "Mthembu", "Zulu", "Sithole", "Mahlangu"],
    "xh": ["Mbeki", "Nqoba", "Mthethwa", "Gqirana", "Dyantyi"],
    "st": ["Mokoena", "Mofokeng", "Molefe", "Nthako"],
    "tn": ["Modise", "Mokgosi", "Seleka", "Molaudzi"],
    "af": ["Botha", "Van Wyk", "Pretorius", "Du Plessis", "Nel"],
    "en": ["Naidoo", "Govender", "Petersen", "Adams", "Jacobs"],
}


def _za(rng: Random, female: bool, fam=None) -> GeneratedName:
    g, lang = (_ZA_F if female else _ZA_M).pick(rng)
    sur = fam if fam is not None else rng.choice(_ZA_SUR[lang])
    latin = f"{g} {sur}"
    return GeneratedName("ZA", latin, latin.upper(), None, None, lang, sur, g)


_NG_SUBS = {
    "yo": (
        ["Oluwaseun", "Tunde", "Femi", "Kehinde", "Adewale", "Segun"],
        ["Funmilayo", "Aderonke", "Temitope", "Bukola", "Yetunde", "Blessing"],
        ["Adeyemi", "Ogunleye", "Adebayo", "Olawale", "Afolabi", "Balogun"],
    ),
    "ig": (
        ["Chinedu", "Emeka", "Obinna", "Ikenna", "Chukwudi"],
        ["Ngozi", "Chioma", "Adaeze", "Nneka", "Chiamaka", "Precious", "Favour"],
        ["Okafor", "Eze", "Okonkwo", "Nwankwo", "Obi", "Okoro", "Nwosu"],
    ),
    "ha": (
        ["Ibrahim", "Musa", "Abdullahi", "Sani", "Yusuf"],
        ["Aisha", "Fatima", "Hauwa", "Zainab", "Amina"],
        ["Bello", "Abubakar", "Usman", "Garba", "Aliyu", "Danjuma"],
    ),
}


def _ng(rng: Random, female: bool, fam=None) -> GeneratedName:
    lang = fam[0] if fam is not None else Table(["yo", "ig", "ha"], [40, 40, 20]).pick(rng)
    m, f, s = _NG_SUBS[lang]
    g = rng.choice(f if female else m)
    sur = fam[1] if fam is not None else rng.choice(s)
    latin = f"{g} {sur}"
    return GeneratedName("NG", latin, latin.upper(), None, None, lang, (lang, sur), g)


_GH_DAY_M = ["Kwame", "Kofi", "Kwaku", "Kwabena", "Yaw", "Kwasi", "Kojo"]
_GH_DAY_F = ["Ama", "Akosua", "Abena", "Adwoa", "Afua", "Yaa", "Akua"]
_GH_XN_M = ["Emmanuel", "Daniel", "Samuel", "Isaac", "Prince", "Richard"]
_GH_XN_F = ["Gifty", "Comfort", "Mavis", "Priscilla", "Linda", "Grace"]
_GH_SUR = Table(
    ["Mensah", "Asante", "Owusu", "Boateng", "Appiah", "Osei", "Agyemang", "Darko", "Ofori", "Amoah"]
)


def _gh(rng: Random, female: bool, fam=None) -> GeneratedName:
    day = rng.choice(_GH_DAY_F if female else _GH_DAY_M)
    sur = fam if fam is not None else _GH_SUR.pick(rng)
    if rng.random() < 0.6:
        latin = f"{rng.choice(_GH_XN_F if female else _GH_XN_M)} {day} {sur}"
    else:
        latin = f"{day} {sur}"
    return GeneratedName("GH", latin, latin.upper(), None, None, "ak", sur, day)


_cm = _simple(
    "CM",
    "fr",
    Table(["Jean-Paul", "Brice", "Arnaud", "Serge", "Hervé", "Franck", "Cédric"]),
    Table(["Carine", "Sandrine", "Nadège", "Ornella", "Larissa", "Estelle"]),
    Table(
        [
            "Mbarga",
            "Nkou",
            "Fotso",
            "Tchinda",
            "Ngassa",
            "Ewane",
            "Mbah",
            "Kamga",
            "Fouda",
            "Essomba",
            "Njoya",
        ]
    ),
    surname_first=0.5,
)
_na = _simple(
    "NA",
    "ng",
    Table(["Johannes", "Petrus", "Tangeni", "Paulus", "Gabriel", "Festus"]),
    Table(["Ndapewa", "Frieda", "Maria", "Selma", "Hilma", "Loide"]),
    Table(["Shikongo", "Amutenya", "Shilongo", "Haufiku", "Nangolo", "Iipumbu", "Nakale", "Kapolo"]),
)
_rw = _simple(
    "RW",
    "rw",
    Table(["Jean Claude", "Eric", "Patrick", "Olivier", "Innocent", "Emmanuel", "Jean de Dieu"]),
    Table(["Aline", "Diane", "Claudine", "Alice", "Josiane"]),
    Table(
        [
            "Habimana",
            "Niyonzima",
            "Uwimana",
            "Mugabo",
            "Ndayisaba",
            "Nshimiyimana",
            "Hakizimana",
            "Iradukunda",
            "Uwase",
            "Ingabire",
        ]
    ),
    surname_first=0.6,
)
_bi = _simple(
    "BI",
    "rn",
    Table(["Claude", "Eric", "Fabrice", "Gilbert", "Thierry"]),
    Table(["Aline", "Divine", "Nadine", "Sandrine"]),
    Table(["Niyonkuru", "Irakoze", "Ndikumana", "Bizimana", "Nduwimana", "Hakizimana"]),
    surname_first=0.5,
)

# =========================================================================== North Africa (Latin + Arabic)
_TN_M = Table(
    [
        ("Mohamed", "محمد"),
        ("Ahmed", "أحمد"),
        ("Youssef", "يوسف"),
        ("Aymen", "أيمن"),
        ("Walid", "وليد"),
        ("Sami", "سامي"),
    ]
)
_TN_SUR = Table(
    [
        ("Trabelsi", "الطرابلسي"),
        ("Gharbi", "الغربي"),
        ("Jebali", "الجبالي"),
        ("Mansouri", "المنصوري"),
        ("Hammami", "الحمامي"),
        ("Ayari", "العياري"),
    ]
)
_DZ_M = Table(
    [
        ("Karim", "كريم"),
        ("Yacine", "ياسين"),
        ("Sofiane", "سفيان"),
        ("Amine", "أمين"),
        ("Rachid", "رشيد"),
        ("Nassim", "نسيم"),
    ]
)
_DZ_SUR = Table(
    [
        ("Bouzid", "بوزيد"),
        ("Haddad", "حداد"),
        ("Saidi", "سعيدي"),
        ("Mebarki", "مباركي"),
        ("Belkacem", "بلقاسم"),
    ]
)
_MAGHREB_F = Table([("Amira", "أميرة"), ("Salma", "سلمى"), ("Ines", "إيناس"), ("Yasmine", "ياسمين")])


def _maghreb(code: str, given_m: Table, surnames: Table):
    def gen(rng: Random, female: bool, fam=None) -> GeneratedName:
        g = (_MAGHREB_F if female else given_m).pick(rng)
        sur = fam if fam is not None else surnames.pick(rng)
        latin = f"{g[0]} {sur[0]}"
        has_native = rng.random() < 0.6
        return GeneratedName(
            code,
            latin,
            latin.upper(),
            f"{g[1]} {sur[1]}" if has_native else None,
            "Arab" if has_native else None,
            "ar",
            sur,
            g[0],
            g[1],
        )

    return gen


_tn = _maghreb("TN", _TN_M, _TN_SUR)
_dz = _maghreb("DZ", _DZ_M, _DZ_SUR)

# =========================================================================== South Asia (other)
_NP_M = Table(
    [
        ("Sunil", "सुनिल"),
        ("Bikash", "बिकास"),
        ("Ramesh", "रमेश"),
        ("Sanjay", "संजय"),
        ("Rajesh", "राजेश"),
        ("Dipak", "दिपक"),
        ("Santosh", "सन्तोष"),
        ("Prakash", "प्रकाश"),
        ("Anil", "अनिल"),
        ("Suman", "सुमन"),
        ("Bishnu", "बिष्णु"),
        ("Krishna", "कृष्ण"),
    ]
)
_NP_F = Table(
    [
        ("Sita", "सीता"),
        ("Gita", "गीता"),
        ("Sarita", "सरिता"),
        ("Anita", "अनिता"),
        ("Sunita", "सुनिता"),
        ("Laxmi", "लक्ष्मी"),
        ("Puja", "पूजा"),
    ]
)
_NP_SUR = Table(
    [
        ("Thapa", "थापा"),
        ("Shrestha", "श्रेष्ठ"),
        ("Gurung", "गुरुङ"),
        ("Tamang", "तामाङ"),
        ("Rai", "राई"),
        ("Magar", "मगर"),
        ("Adhikari", "अधिकारी"),
        ("Khadka", "खड्का"),
        ("Karki", "कार्की"),
        ("Basnet", "बस्नेत"),
        ("Poudel", "पौडेल"),
        ("Bhandari", "भण्डारी"),
        ("Lama", "लामा"),
        ("Sherpa", "शेर्पा"),
    ]
)


def _np(rng: Random, female: bool, fam=None) -> GeneratedName:
    sur = fam if fam is not None else _NP_SUR.pick(rng)
    g = (_NP_F if female else _NP_M).pick(rng)
    if not female and rng.random() < 0.25:
        latin, native = f"{g[0]} Bahadur {sur[0]}", f"{g[1]} बहादुर {sur[1]}"
    else:
        latin, native = f"{g[0]} {sur[0]}", f"{g[1]} {sur[1]}"
    return GeneratedName("NP", latin, latin.upper(), native, "Deva", "ne", sur, g[0], g[1])


_lk = _simple(
    "LK",
    lambda r: "ta" if r.random() < 0.15 else "si",
    Table(["Kasun", "Nuwan", "Chaminda", "Sampath", "Tharindu", "Lahiru", "Dilshan", "Ruwan", "Chathura"]),
    Table(["Nadeesha", "Sanduni", "Dilani", "Chamari", "Ishara"]),
    Table(
        [
            "Perera",
            "Fernando",
            "Silva",
            "Jayasinghe",
            "Wickramasinghe",
            "Bandara",
            "Rathnayake",
            "Gunawardena",
            "Herath",
            "Dissanayake",
        ]
    ),
)
_bd = _simple(
    "BD",
    "bn",
    Table(
        [
            "Md. Rahim",
            "Abdul Karim",
            "Mohammad Hasan",
            "Shahidul",
            "Rakibul",
            "Mizanur",
            "Md. Sohel",
            "Jahangir",
            "Rubel",
        ]
    ),
    Table(["Nasrin", "Shirin", "Taslima", "Rokeya", "Sumaiya"]),
    Table(["Islam", "Rahman", "Hossain", "Uddin", "Ahmed", "Alam", "Miah", "Chowdhury", "Sarker"]),
)

# =========================================================================== Central Asia / Europe / Americas
_UZ_M = Table(["Jasur", "Bekzod", "Sardor", "Dilshod", "Otabek", "Sherzod", "Aziz", "Rustam", "Jamshid"])
_UZ_F = Table(["Dilnoza", "Madina", "Gulnora", "Nigora", "Shahnoza"])
_UZ_SUR = Table(
    [
        "Karimov",
        "Tursunov",
        "Rakhimov",
        "Yusupov",
        "Abdullayev",
        "Ismoilov",
        "Nazarov",
        "Sobirov",
        "Ergashev",
        "Mirzayev",
    ]
)


def _uz(rng: Random, female: bool, fam=None) -> GeneratedName:
    sur = fam if fam is not None else _UZ_SUR.pick(rng)
    g = (_UZ_F if female else _UZ_M).pick(rng)
    s = sur + "a" if female else sur
    latin = f"{g} {s}"
    return GeneratedName("UZ", latin, latin.upper(), None, None, "uz", sur, g)


_CZ_M = Table(["Jan", "Petr", "Tomáš", "Martin", "Jakub", "Lukáš", "Ondřej"])
_CZ_F = Table(["Lucie", "Kateřina", "Tereza", "Eva", "Petra"])
_CZ_SUR = Table(
    [
        ("Novák", "Nováková"),
        ("Svoboda", "Svobodová"),
        ("Dvořák", "Dvořáková"),
        ("Černý", "Černá"),
        ("Procházka", "Procházková"),
        ("Kučera", "Kučerová"),
    ]
)


def _cz(rng: Random, female: bool, fam=None) -> GeneratedName:
    sur = fam if fam is not None else _CZ_SUR.pick(rng)
    g = (_CZ_F if female else _CZ_M).pick(rng)
    latin = f"{g} {sur[1] if female else sur[0]}"
    return GeneratedName("CZ", latin, passport_form(latin), None, None, "cs", sur, g)


_ro = _simple(
    "RO",
    "ro",
    Table(["Andrei", "Mihai", "Alexandru", "Ionuț", "Florin", "Ștefan"]),
    Table(["Ioana", "Elena", "Andreea", "Maria"]),
    Table(["Popescu", "Ionescu", "Popa", "Stan", "Dumitru", "Stoica", "Munteanu"]),
)
_BR_M = Table(["João", "Lucas", "Gabriel", "Mateus", "Rafael", "Pedro", "João Pedro"])
_BR_F = Table(["Ana", "Juliana", "Beatriz", "Larissa", "Camila", "Ana Clara"])
_BR_SUR = Table(
    ["Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Rodrigues", "Almeida", "Lima", "Ferreira"]
)


def _br(rng: Random, female: bool, fam=None) -> GeneratedName:
    g = (_BR_F if female else _BR_M).pick(rng)
    sur = fam if fam is not None else _BR_SUR.pick(rng)
    mother = _BR_SUR.pick(rng)
    latin = f"{g} {mother} {sur}" if mother != sur else f"{g} {sur}"
    return GeneratedName("BR", latin, passport_form(latin), None, None, "pt", sur, g.split()[0])


_SG_CN = Table(
    [("Tan", "陈"), ("Lim", "林"), ("Lee", "李"), ("Ng", "黄"), ("Ong", "王"), ("Wong", "黄"), ("Goh", "吴")]
)


def _sg(rng: Random, female: bool, fam=None) -> GeneratedName:
    sur = fam if fam is not None else _SG_CN.pick(rng)
    g = (_MY_CN_F if female else _MY_CN_M).pick(rng)
    latin = f"{sur[0]} {g[0]}"
    return GeneratedName("SG", latin, latin.upper(), sur[1] + g[1], "Hani", "zh", sur, g[0].split()[-1], g[1])


# =========================================================================== Mainland Southeast Asia
_KH_SUR = Table(
    [
        ("Sok", "សុខ"),
        ("Chan", "ចាន់"),
        ("Heng", "ហេង"),
        ("Lim", "លឹម"),
        ("Chea", "ជា"),
        ("Keo", "កែវ"),
        ("Meas", "មាស"),
        ("Seng", "សេង"),
    ]
)
_KH_M = Table([("Dara", "ដារ៉ា"), ("Vanna", "វណ្ណា"), ("Rithy", "រិទ្ធី"), ("Visal", "វិសាល"), ("Sophal", "សុផល")])
_KH_F = Table([("Sophea", "សុភា"), ("Pisey", "ពិសី"), ("Sreymom", "ស្រីមុំ"), ("Bopha", "បុប្ផា")])


def _kh(rng: Random, female: bool, fam=None) -> GeneratedName:
    sur = fam if fam is not None else _KH_SUR.pick(rng)
    g = (_KH_F if female else _KH_M).pick(rng)
    latin = f"{sur[0]} {g[0]}"
    return GeneratedName("KH", latin, latin.upper(), f"{sur[1]} {g[1]}", "Khmr", "km", sur, g[0], g[1])


_LA_M = Table([("Somphone", "ສົມພອນ"), ("Bounmy", "ບຸນມີ"), ("Souksavanh", "ສຸກສະຫວັນ"), ("Khamla", "ຄຳລາ")])
_LA_F = Table(
    [("Noy", "ນ້ອຍ"), ("Keo", "ແກ້ວ"), ("Vanh", "ວັນ"), ("Dao", "ດາວ"), ("Mali", "ມະລິ"), ("Khamla", "ຄຳລາ")]
)
_LA_SUR = Table(
    [
        ("Phommachanh", "ພົມມະຈັນ"),
        ("Keovongsa", "ແກ້ວວົງສາ"),
        ("Sisouphanh", "ສີສຸພັນ"),
        ("Vongsa", "ວົງສາ"),
        ("Inthavong", "ອິນທະວົງ"),
    ]
)


def _la(rng: Random, female: bool, fam=None) -> GeneratedName:
    sur = fam if fam is not None else _LA_SUR.pick(rng)
    g = (_LA_F if female else _LA_M).pick(rng)
    latin = f"{g[0]} {sur[0]}"
    return GeneratedName("LA", latin, latin.upper(), f"{g[1]} {sur[1]}", "Laoo", "lo", sur, g[0], g[1])


_MM_M = [
    ("Aung", "အောင်"),
    ("Kyaw", "ကျော်"),
    ("Min", "မင်း"),
    ("Zaw", "ဇော်"),
    ("Htet", "ထက်"),
    ("Naing", "နိုင်"),
    ("Soe", "စိုး"),
    ("Win", "ဝင်း"),
    ("Myint", "မြင့်"),
    ("Thu", "သူ"),
    ("Ko", "ကို"),
    ("Tun", "ထွန်း"),
    ("Hlaing", "လှိုင်"),
    ("Lin", "လင်း"),
    ("Paing", "ပိုင်"),
    ("Phyo", "ဖြိုး"),
    ("Yan", "ရန်"),
    ("Naung", "နောင်"),
]
_MM_F = [
    ("Su", "စု"),
    ("Myat", "မြတ်"),
    ("Hnin", "နှင်း"),
    ("Thiri", "သီရိ"),
    ("Phyu", "ဖြူ"),
    ("Khin", "ခင်"),
    ("Ei", "အိ"),
    ("Mon", "မွန်"),
    ("Nwe", "နွယ်"),
    ("Aye", "အေး"),
    ("Thandar", "သန္တာ"),
    ("May", "မေ"),
    ("Zin", "ဇင်"),
    ("Moe", "မိုး"),
    ("Thazin", "သဇင်"),
    ("Lwin", "လွင်"),
]
_RHG_M = Table(
    ["Mohammed Ayub", "Abdul Karim", "Mohammed Hashim", "Sayed Alam", "Nur Mohammed", "Abdul Rahim"]
)
_RHG_F = Table(["Nur Begum", "Rashida Begum", "Hasina Begum", "Sanjida", "Minara Begum"])


def _xx(rng: Random, female: bool, fam=None) -> GeneratedName:
    """Stateless people: Myanmar-born Burmese speakers or Rohingya (assumption)."""
    sub = fam if fam is not None else ("rhg" if rng.random() < 0.4 else "my")
    if sub == "rhg":
        latin = (_RHG_F if female else _RHG_M).pick(rng)
        return GeneratedName("XX", latin, latin.upper(), None, None, "rhg", "rhg", latin.split()[0])
    pool = _MM_F if female else _MM_M
    k = 2 if rng.random() < 0.45 else 3
    parts = rng.sample(pool, k)
    latin = " ".join(p[0] for p in parts)
    native = "".join(p[1] for p in parts)
    return GeneratedName("XX", latin, latin.upper(), native, "Mymr", "my", "my", parts[-1][0], parts[-1][1])


GENERATORS = {
    "CN": _cn,
    "TW": _tw,
    "VN": _vn,
    "IN": _in,
    "ET": _et,
    "ID": _id,
    "PH": _ph,
    "PK": _pk,
    "MY": _my,
    "KE": _ke,
    "UG": _ug,
    "TZ": _tz,
    "ZA": _za,
    "NG": _ng,
    "GH": _gh,
    "CM": _cm,
    "NA": _na,
    "RW": _rw,
    "BI": _bi,
    "TN": _tn,
    "DZ": _dz,
    "NP": _np,
    "LK": _lk,
    "BD": _bd,
    "UZ": _uz,
    "CZ": _cz,
    "RO": _ro,
    "BR": _br,
    "SG": _sg,
    "KH": _kh,
    "LA": _la,
    "XX": _xx,
}
# Cultures where a wife (and so a mother) usually carries the husband's family name.
_WIFE_TAKES_NAME = frozenset({"PH", "KE", "ZA", "NG", "GH", "NA", "CZ", "RO", "BR", "IN", "UZ", "SG"})
_PATRONYMIC = frozenset({"ET", "MY"})


def generate_name(rng: Random, iso2: str, female: bool) -> GeneratedName:
    return GENERATORS[iso2](rng, female)


def relative_name(rng: Random, iso2: str, person: GeneratedName, relationship: str) -> str:
    """Latin display name of a family member consistent with the person's naming culture."""
    gen = GENERATORS[iso2]
    fam = person.family
    if iso2 == "XX":  # same community (Burmese-speaking or Rohingya)
        return gen(
            rng,
            relationship in ("mother", "sister", "wife")
            or (relationship not in ("father", "brother", "husband") and rng.random() < 0.5),
            fam,
        ).latin
    if relationship == "father":
        if person.father_latin:
            return person.father_latin
        return gen(rng, False, fam).latin if fam is not None else gen(rng, False).latin
    if relationship in ("brother", "sister"):
        return (
            gen(rng, relationship == "sister", fam).latin
            if fam is not None
            else gen(rng, relationship == "sister").latin
        )
    if relationship == "mother":
        if iso2 in _WIFE_TAKES_NAME and fam is not None:
            return gen(rng, True, fam).latin
        return gen(rng, True).latin
    if relationship in ("wife", "husband"):
        if relationship == "wife" and iso2 in _WIFE_TAKES_NAME and fam is not None:
            return gen(rng, True, fam).latin
        return gen(rng, relationship == "wife").latin
    return gen(rng, rng.random() < 0.5).latin


# =========================================================================== nicknames and aliases
_EN_M = Table(
    [
        "Kevin",
        "Jack",
        "Tony",
        "Leo",
        "Eric",
        "Jason",
        "Alex",
        "Tom",
        "Sam",
        "David",
        "Andy",
        "Ken",
        "Peter",
        "Vincent",
        "Ray",
        "Frank",
        "Louis",
        "Oscar",
        "Max",
        "Ben",
    ]
)
_EN_F = Table(
    [
        "Lily",
        "Coco",
        "Amy",
        "Vivian",
        "Cindy",
        "Linda",
        "Nancy",
        "Jenny",
        "Lisa",
        "Anna",
        "Sophie",
        "Mia",
        "Bella",
        "Grace",
    ]
)
_CN_PREFIX = {"A": "阿", "Xiao": "小", "Lao": "老"}


def compound_nickname(rng: Random, iso2: str, name: GeneratedName, female: bool) -> tuple[str, str, str]:
    """Working name given inside the compound: (text, script, language)."""
    if iso2 in ("CN", "TW") and rng.random() < 0.5:
        r = rng.random()
        if r < 0.5 and name.given_native:
            return f"A-{name.given}", "Latn", "zh"
        if r < 0.75:
            return f"Xiao {name.family[1]}", "Latn", "zh"
        if name.given_native:
            return _CN_PREFIX["A"] + name.given_native[-1], "Hani", "zh"
    return (_EN_F if female else _EN_M).pick(rng), "Latn", "en"


_SPELLING_VARIANTS = (
    ("Mohammed", "Mohamed"),
    ("Muhammad", "Mohammad"),
    ("Mohamed", "Mohammed"),
    ("Mohd", "Mohamad"),
    ("Md. ", "Mohammad "),
    ("Yohannes", "Yohanes"),
    ("Tesfaye", "Tesfay"),
    ("Tsegaye", "Tsegay"),
    ("Haile", "Hailu"),
    ("Kassahun", "Kasahun"),
    ("Mulugeta", "Mulugetta"),
    ("Bekele", "Bekelle"),
    ("Hussain", "Hussein"),
    ("Chaudhry", "Chaudhary"),
    ("Qureshi", "Kureshi"),
    ("Shaikh", "Sheikh"),
    ("Pandey", "Pande"),
    ("Poudel", "Paudel"),
    ("Shrestha", "Srestha"),
    ("Yusof", "Yusuf"),
    ("Lakshmi", "Laxmi"),
    ("Srinivas", "Shrinivas"),
    ("Abdullahi", "Abdullah"),
    ("Oluwaseun", "Seun"),
    ("Kiprotich", "Kiprotic"),
    ("Odhiambo", "Odiambo"),
    ("Ochieng", "Ochieng'"),
    ("Jean Claude", "Jean-Claude"),
)


def alias_variant(rng: Random, iso2: str, name: GeneratedName) -> tuple[str, str, str] | None:
    """Another spelling or order under which the person may appear on a list."""
    latin = name.latin
    hits = [v for v in _SPELLING_VARIANTS if v[0] in latin]
    if hits:
        a, b = rng.choice(hits)
        return latin.replace(a, b, 1), "Latn", name.language
    for sep in (" binti ", " bin ", " a/l ", " a/p "):
        if sep in latin:  # patronymic dropped on a manifest
            return latin.split(sep)[0], "Latn", name.language
    parts = latin.split()
    if iso2 in ("CN", "TW"):
        # given name first, as Western lists often write it ("Wei Zhang")
        return f"{' '.join(parts[1:])} {parts[0]}", "Latn", name.language
    if iso2 == "VN":
        return fold(f"{parts[-1]} {' '.join(parts[:-1])}"), "Latn", "vi"
    if len(parts) >= 2:
        # family name first, comma form used on many manifests
        return f"{parts[-1].upper()}, {' '.join(parts[:-1])}", "Latn", name.language
    return None
