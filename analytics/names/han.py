"""Chinese names in Han characters: pinyin, Wade-Giles and HK surnames.

Why this is more than ``lazy_pinyin``:

* A Chinese name is written in Latin as two words, surname and given name
  ("王小明" -> "Wang Xiaoming"), and a few surnames take two characters
  (欧阳, 司马, ...), so we have to find the surname before joining
  syllables.
* Several characters read differently as surnames (单 Shan not Dan, 曾 Zeng
  not Ceng, 区 Ou not Qu).  pypinyin has no surname mode (upstream issues
  mozillazg/python-pinyin#120 and #297 are still open), so we keep a small
  table of surname readings and use it for the surname position only.
* People from Taiwan and older documents use Wade-Giles ("Chang Wei",
  "Wang Hsiao-ming"); people from Hong Kong, Macau and the diaspora spell
  surnames in Cantonese ("Cheung", "Wong", "Chan").  pypinyin has no
  Cantonese, so the HK forms come from a table of common surnames only.

Wade-Giles is produced without apostrophes or umlauts (Ch'en -> Chen,
Hsü -> Hsu) because that is how it appears on passports and how people type
it; it also keeps every variant a plain set of Latin tokens.

All lookups are memoised: names reuse a small set of characters, and
pypinyin costs ~10 µs per call.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from anyascii import anyascii
from pypinyin import Style, lazy_pinyin

COMPOUND_SURNAMES = frozenset(
    """
    欧阳 歐陽 司马 司馬 诸葛 諸葛 上官 东方 東方 皇甫 司徒 令狐 慕容 尉迟 尉遲
    长孙 長孫 宇文 夏侯 公孙 公孫 轩辕 軒轅 端木 独孤 獨孤 南宫 南宮 西门 西門
    万俟 萬俟 澹台 濮阳 濮陽 闻人 聞人 百里 呼延 赫连 赫連 司空 申屠 太史 钟离
    鍾離 单于 單于 公羊 拓跋 闾丘 閭丘 左丘 东郭 東郭 公冶 司寇 鲜于 鮮于 淳于
    """.split()
)

# Surname readings where the everyday (pypinyin default) reading differs or
# is ambiguous.  Used only for the surname position.
_SURNAME_READINGS_SOURCE = """
单 單 shan|曾 zeng|区 區 ou|解 xie|仇 qiu|朴 piao|查 zha|盖 蓋 ge|翟 zhai
乐 樂 yue|覃 qin|缪 繆 miao|重 chong|秘 bi|华 華 hua|过 過 guo|纪 紀 ji|燕 yan
种 種 chong|繁 po|冼 xian|石 shi|瞿 qu|折 she|那 na|难 難 nan|粘 nian|藏 zang
都 du|六 lu|薄 bo|贾 賈 jia|居 ju|盛 sheng|柏 bai|牟 mou|陆 陸 lu|乜 nie
阚 闞 kan|叶 葉 ye|强 強 qiang|沈 shen|宿 su|卜 bu|尉 yu|俞 yu|员 員 yun
召 shao|句 gou|长 長 chang|万 萬 wan|车 車 che|殷 yin|蓝 藍 lan|和 he|隗 wei
莘 shen|郇 xun|洗 xian|祭 zhai|角 jue|便 pian|尉迟 尉遲 yu chi|万俟 萬俟 mo qi
单于 單于 chan yu|长孙 長孫 zhang sun|澹台 tan tai|令狐 ling hu
"""

# Hong Kong (Cantonese) spellings of common surnames.
_CANTONESE_SOURCE = """
陈 陳 Chan|黄 黃 Wong|李 Lee|张 張 Cheung|刘 劉 Lau|林 Lam|吴 吳 Ng|郑 鄭 Cheng
梁 Leung|何 Ho|王 Wong|杨 楊 Yeung|赵 趙 Chiu|周 Chow|徐 Tsui|孙 孫 Suen|马 馬 Ma
朱 Chu|胡 Wu|郭 Kwok|罗 羅 Law|高 Ko|谢 謝 Tse|宋 Sung|唐 Tong|许 許 Hui|韩 韓 Hon
冯 馮 Fung|邓 鄧 Tang|曹 Tso|彭 Pang|曾 Tsang|萧 蕭 肖 Siu|田 Tin|董 Tung|袁 Yuen
潘 Poon|于 Yu|蒋 蔣 Tseung|蔡 Choi|余 Yu|杜 To|叶 葉 Yip|程 Ching|苏 蘇 So|魏 Ngai
吕 呂 Lui|丁 Ting|任 Yam|沈 Shum|姚 Yiu|卢 盧 Lo|姜 Keung|崔 Tsui|钟 鍾 鐘 Chung
谭 譚 Tam|陆 陸 Luk|汪 Wong|范 Fan|金 Kam|石 Shek|廖 Liu|贾 賈 Ka|夏 Ha|韦 韋 Wai
傅 付 Fu|方 Fong|白 Pak|邹 鄒 Chau|孟 Mang|熊 Hung|秦 Chun|邱 Yau|江 Kong|尹 Wan
薛 Sit|阎 閻 Yim|段 Tuen|雷 Lui|侯 Hau|龙 龍 Lung|史 Sze|陶 To|黎 Lai|贺 賀 Ho
顾 顧 Ku|毛 Mo|郝 Kok|龚 龔 Kung|邵 Shiu|万 萬 Man|钱 錢 Chin|严 嚴 Yim|覃 Tam
武 Mo|戴 Tai|莫 Mok|孔 Hung|向 Heung|汤 湯 Tong|区 區 Au|欧 歐 Au|麦 麥 Mak
关 關 Kwan|鲍 鮑 Pau|甘 Kam|温 溫 Wan|古 Ku|岑 Sham|简 簡 Kan|翁 Yung|文 Man|伍 Ng
邝 鄺 Kwong|洪 Hung|庄 莊 Chong|柯 Or|施 Sze|游 Yau|詹 Chim|卓 Cheuk|冼 Sin|容 Yung
植 Chik|章 Cheung|戚 Chik|阮 Yuen|易 Yik|乔 喬 Kiu|祝 Chuk|鲁 魯 Lo|倪 Ngai|蓝 藍 Lam
聂 聶 Nip|单 單 Sin|凌 Ling|葛 Kot|殷 Yan|霍 Fok|利 Lee|岳 Ngok|宁 寧 Ning|包 Pau
骆 駱 Lok|邬 鄔 Woo|管 Kwun|童 Tung|纪 紀 Kei|邢 Ying|梅 Mui|屈 Wat|巫 Mo|涂 塗 To
苗 Miu|吉 Kat|司徒 Szeto|欧阳 歐陽 Au-Yeung|司马 司馬 Sze-Ma|上官 Sheung-Kwun
诸葛 諸葛 Chu-Kot
"""


def _parse(source: str, join: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for entry in source.replace("\n", "|").split("|"):
        parts = entry.split()
        if not parts:
            continue
        keys = [p for p in parts if not p.isascii()]
        value = join.join(p for p in parts if p.isascii())
        for key in keys:
            table[key] = value
    return table


SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    k: tuple(v.split()) for k, v in _parse(_SURNAME_READINGS_SOURCE, " ").items()
}
CANTONESE_SURNAMES: dict[str, str] = _parse(_CANTONESE_SOURCE, " ")


def _unknown(chars: str) -> list[str]:
    """pypinyin error hook: characters it has no reading for."""
    return [anyascii(c).lower() for c in chars]


@lru_cache(maxsize=32768)
def _pinyin(chars: str) -> tuple[str, ...]:
    """Toneless pinyin syllables, phrase-aware, ü kept as ü."""
    out = lazy_pinyin(chars, style=Style.NORMAL, v_to_u=True, errors=_unknown)
    return tuple(s for s in (x.strip().lower() for x in out) if s.isalpha())


def split_name(name: str) -> tuple[str, str]:
    """(surname, given) for a 2-4 character name; two-character surnames
    are recognised only when a given name follows (欧阳 alone is 欧 + 阳)."""
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def surname_syllables(surname: str) -> tuple[str, ...]:
    return SURNAME_READINGS.get(surname) or _pinyin(surname)


@lru_cache(maxsize=32768)
def name_words(run: str, name_mode: bool) -> tuple[tuple[str, ...], ...]:
    """Pinyin syllables grouped into Latin words.

    In name mode (a lone 2-4 character run) the result is (surname,
    given); otherwise the whole run is one word.  Runs are NFKC-normalised
    so compatibility ideographs and Kangxi radicals read like the
    ordinary characters.
    """
    run = unicodedata.normalize("NFKC", run)
    if name_mode and 2 <= len(run) <= 4:
        surname, given = split_name(run)
        words = (surname_syllables(surname), _pinyin(given))
    else:
        words = (_pinyin(run),)
    return tuple(w for w in words if w)


@lru_cache(maxsize=32768)
def char_readings(ch: str) -> tuple[str, ...]:
    """Readings of one character on its own and as a surname.

    Indexed for every character so that a query that puts a character in
    a different position (e.g. a given name typed alone, whose first
    character is then read as a surname) still finds the record.
    """
    readings = list(_pinyin(ch))
    for s in SURNAME_READINGS.get(ch, ()):
        if s not in readings:
            readings.append(s)
    return tuple(readings)


def cantonese_surname(run: str) -> str | None:
    """HK spelling of the surname of a 2-4 character name, if known."""
    surname, _ = split_name(unicodedata.normalize("NFKC", run))
    return CANTONESE_SURNAMES.get(surname)


_WG_INITIALS = {
    "b": "p", "p": "p", "m": "m", "f": "f", "d": "t", "t": "t", "n": "n",
    "l": "l", "g": "k", "k": "k", "h": "h", "j": "ch", "q": "ch", "x": "hs",
    "zh": "ch", "ch": "ch", "sh": "sh", "r": "j", "z": "ts", "c": "ts",
    "s": "s", "y": "y", "w": "w",
}  # fmt: skip
_WG_WHOLE = {
    "zhi": "chih", "chi": "chih", "shi": "shih", "ri": "jih", "zi": "tzu",
    "ci": "tzu", "si": "ssu", "er": "erh", "e": "o", "yi": "i", "you": "yu",
    "yan": "yen", "ye": "yeh", "yong": "yung", "yue": "yueh", "yu": "yu",
    "yuan": "yuan", "yun": "yun",
}  # fmt: skip


@lru_cache(maxsize=4096)
def wade_giles(syllable: str) -> str:
    """Wade-Giles for one toneless pinyin syllable (no apostrophes/umlauts)."""
    s = syllable.replace("ü", "u").replace("v", "u")
    if s in _WG_WHOLE:
        return _WG_WHOLE[s]
    initial = s[:2] if s[:2] in ("zh", "ch", "sh") else s[:1]
    if initial not in _WG_INITIALS:
        return s  # vowel-initial syllables (an, ou, ai) are unchanged
    final = s[len(initial) :]
    if final == "e" and initial in ("g", "k", "h"):
        final = "o"
    elif final == "uo" and initial not in ("g", "k", "h", "sh"):
        final = "o"
    elif final == "ui" and initial in ("g", "k"):
        final = "uei"
    elif final.endswith("ong"):
        final = final[:-3] + "ung"
    elif final == "ian":
        final = "ien"
    elif final in ("ie", "ue"):
        final += "h"
    return _WG_INITIALS[initial] + final


# Every toneless syllable pypinyin can produce (ü written u, as in search
# keys), generated once from its dictionaries.  Used to split Latin pinyin
# such as "xiaoming" into syllables.
PINYIN_SYLLABLES = frozenset(
    """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin
    bing bo bong bu ca cai can cang cao ce cei cen ceng cha chai chan chang chao
    che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci
    cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia dian
    diao die din ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang
    fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu
    gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hm hng
    hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin
    jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou
    ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei len leng li lia
    lian liang liao lie lin ling liu lo long lou lu luan lun luo lue m ma mai man
    mang mao me mei men meng mi mian miao mie min ming miu mo mou mu n na nai nan
    nang nao ne nei nen neng ng ni nia nian niang niao nie nin ning niu nong nou
    nu nuan nun nuo nue o ou pa pai pan pang pao pei pen peng pi pian piao pie
    pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que
    qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san
    sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou
    shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta
    tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun
    tuo wa wai wan wang wei wen weng wo wong wu xi xia xian xiang xiao xie xin
    xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu
    yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe
    zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi
    zong zou zu zuan zui zun zuo
    """.split()
)
# Passport and keyboard spellings of ü, mapped to the search-key form.
_U_SPELLINGS = {
    "lv": "lu",
    "lyu": "lu",
    "nv": "nu",
    "nyu": "nu",
    "lve": "lue",
    "lyue": "lue",
    "nve": "nue",
    "nyue": "nue",
}
# Interjection syllables (嗯 n, 呣 m, 哼 hng) never occur in names and
# would let almost any word containing m or n "split" into pinyin.
_SPLIT_SYLLABLES = (PINYIN_SYLLABLES - {"m", "n", "ng", "hm", "hng"}) | _U_SPELLINGS.keys()


@lru_cache(maxsize=65536)
def split_pinyin(word: str) -> tuple[str, ...]:
    """Syllables of every way a Latin word splits into pinyin, or ().

    A passport name like "XIAOMING" must be found by a query typed in
    characters, which searches "xiao" AND "ming".  Ambiguous words yield
    the syllables of all their splits ("xian" -> xian, xi, an), since the
    index can afford extra tokens but not missing ones.  ü spellings (lv,
    lyu) also yield the plain-u form that queries use.
    """
    n = len(word)
    if n < 2 or n > 40 or not (word.isascii() and word.isalpha()):
        return ()
    sylls = _SPLIT_SYLLABLES
    reach = [False] * (n + 1)
    reach[0] = True
    for i in range(n):
        if reach[i]:
            for j in range(i + 1, min(n, i + 6) + 1):
                if word[i:j] in sylls:
                    reach[j] = True
    if not reach[n]:
        return ()
    ends = [False] * (n + 1)
    ends[n] = True
    found: dict[str, None] = {}
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, min(n, i + 6) + 1):
            if ends[j] and word[i:j] in sylls:
                ends[i] = True
                if reach[i]:
                    syllable = word[i:j]
                    found[_U_SPELLINGS.get(syllable, syllable)] = None
    return tuple(found)
