"""The intake form's wording in English, Chinese (Simplified), Thai and Burmese.

This is form content, read aloud to the person or shown to the officer on the phone, not interface
text, so it lives here rather than in the gettext catalogues (Burmese is not an interface language).
Burmese is Unicode, never Zawgyi. The person is spoken to plainly and never rushed: every question
may stay empty, and the officer is told to stop when the person is unwell.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    en: str
    zh: str
    th: str
    my: str


# XLSForm language names (the column suffix after "label::"), in the order the phone lists them.
LANGUAGES = {"en": "English (en)", "zh": "Chinese (zh)", "th": "Thai (th)", "my": "Burmese (my)"}
DEFAULT_LANGUAGE = LANGUAGES["en"]
FORM_TITLE = "Crossing intake"

LABELS = {
    "intro": Text(
        "You are safe now. We will ask some questions about who you are. This helps us find you a safe place "
        "to stay, contact your embassy and help you go home. If you do not know an answer, or do not want to "
        "say it, that is fine: we leave it empty. You can ask for a break or an interpreter at any time. Your "
        "answers are kept in a protected system. We do not give them to the people who held you.",
        "你现在安全了。我们会问你一些关于你身份的问题。这能帮助我们为你找到安全的住处、联系你的大使馆，并帮助你回家。"
        "如果你不知道答案，或者不想说，都没关系，我们就空着不填。你随时可以要求休息或要求翻译。你的回答保存在一个受保护的"
        "系统里，我们不会把它交给曾经扣押你的人。",
        "ตอนนี้คุณปลอดภัยแล้ว เราจะถามคำถามบางข้อเกี่ยวกับตัวคุณ เพื่อช่วยหาที่พักที่ปลอดภัยให้คุณ ติดต่อสถานทูตของคุณ "
        "และช่วยให้คุณได้กลับบ้าน ถ้าคุณไม่รู้คำตอบหรือไม่อยากตอบก็ไม่เป็นไร เราจะเว้นว่างไว้ คุณขอพักหรือขอล่ามได้ทุกเมื่อ "
        "คำตอบของคุณจะเก็บไว้ในระบบที่มีการป้องกัน เราจะไม่ให้ข้อมูลนี้กับคนที่เคยกักขังคุณ",
        "အခု သင် လုံခြုံပါပြီ။ သင် ဘယ်သူလဲဆိုတာနဲ့ ပတ်သက်ပြီး မေးခွန်းတချို့ မေးပါမယ်။ ဒါက သင့်အတွက် လုံခြုံတဲ့ "
        "နေစရာ ရှာပေးဖို့၊ သင့်နိုင်ငံ သံရုံးကို ဆက်သွယ်ဖို့နဲ့ သင် အိမ်ပြန်နိုင်အောင် ကူညီဖို့ပါ။ အဖြေကို မသိရင် "
        "ဒါမှမဟုတ် မပြောချင်ရင် ရပါတယ်၊ ကွက်လပ် ထားခဲ့ပါမယ်။ ဘယ်အချိန်မဆို အနားယူချင်တယ် ဒါမှမဟုတ် စကားပြန် "
        "လိုချင်တယ်လို့ ပြောနိုင်ပါတယ်။ သင့်အဖြေတွေကို ကာကွယ်ထားတဲ့ စနစ်ထဲမှာ သိမ်းထားပါတယ်။ သင့်ကို "
        "ချုပ်နှောင်ထားခဲ့တဲ့ လူတွေကို မပေးပါဘူး။",
    ),
    "info_given": Text(
        "I have read this to the person and they understood it.",
        "我已向此人读过以上内容，对方已经理解。",
        "ฉันได้อ่านข้อความนี้ให้เจ้าตัวฟังแล้ว และเจ้าตัวเข้าใจ",
        "ဒီစာကို ဒီလူကို ဖတ်ပြပြီးပါပြီ။ သူ နားလည်ပါတယ်။",
    ),
    "person": Text("The person", "个人信息", "ข้อมูลบุคคล", "ပုဂ္ဂိုလ်ရေး အချက်အလက်"),
    "full_name": Text(
        "Full name in Latin letters, as in the passport",
        "拉丁字母全名（与护照一致）",
        "ชื่อเต็มเป็นอักษรละติน ตามหนังสือเดินทาง",
        "လက်တင်အက္ခရာဖြင့် အမည်အပြည့်အစုံ (ပတ်စပို့အတိုင်း)",
    ),
    "native_name": Text(
        "Name in the person's own script",
        "本人文字的姓名",
        "ชื่อเป็นอักษรภาษาของเจ้าตัว",
        "ကိုယ်ပိုင်ဘာသာ အက္ခရာဖြင့် အမည်",
    ),
    "sex": Text("Sex", "性别", "เพศ", "လိင်"),
    "dob_known": Text(
        "How much of the date of birth does the person know?",
        "此人知道自己出生日期的哪些部分？",
        "เจ้าตัวรู้วันเกิดของตัวเองแค่ไหน",
        "မွေးနေ့ကို ဘယ်လောက်အထိ သိသလဲ။",
    ),
    "dob_date": Text("Date of birth", "出生日期", "วันเกิด", "မွေးသက္ကရာဇ်"),
    "dob_month": Text("Month and year of birth", "出生年月", "เดือนและปีเกิด", "မွေးတဲ့ လနဲ့ နှစ်"),
    "dob_year": Text("Year of birth", "出生年份", "ปีเกิด", "မွေးတဲ့ နှစ်"),
    "nationality": Text("Nationality", "国籍", "สัญชาติ", "နိုင်ငံသား"),
    "passport_number": Text("Passport number", "护照号码", "เลขที่หนังสือเดินทาง", "ပတ်စပို့ နံပါတ်"),
    "phone": Text(
        "The person's own phone number",
        "本人的电话号码",
        "หมายเลขโทรศัพท์ของเจ้าตัว",
        "ကိုယ်ပိုင် ဖုန်းနံပါတ်",
    ),
    "handover": Text("The handover", "移交情况", "การส่งมอบตัว", "လွှဲပြောင်းခြင်း"),
    "compound": Text(
        "Compound the person came from",
        "此人来自哪个园区",
        "สถานที่ (คอมพาวด์) ที่เจ้าตัวถูกพาออกมา",
        "ထွက်လာခဲ့တဲ့ ကွန်ပေါင်း (ဝင်း)",
    ),
    "handed_over_by": Text("Handed over by", "移交方", "ผู้ส่งมอบตัว", "လွှဲပြောင်းပေးသူ"),
    "handed_over_on": Text("Date of the handover", "移交日期", "วันที่ส่งมอบตัว", "လွှဲပြောင်းတဲ့ ရက်စွဲ"),
    "facility": Text(
        "Where the person is staying now",
        "此人现在的安置地点",
        "สถานที่ที่เจ้าตัวพักอยู่ตอนนี้",
        "အခု နေထိုင်နေတဲ့ နေရာ",
    ),
    "closing": Text(
        "Thank the person. Finalize the form and send it when the phone is online.",
        "感谢对方。请将表格定稿（Finalize），手机联网后发送。",
        "ขอบคุณเจ้าตัว กด Finalize เพื่อปิดแบบฟอร์ม แล้วส่งเมื่อโทรศัพท์ต่ออินเทอร์เน็ตได้",
        "သူ့ကို ကျေးဇူးတင်ကြောင်း ပြောပါ။ ဖောင်ကို Finalize လုပ်ပြီး ဖုန်း အင်တာနက် ရတဲ့အခါ ပို့ပါ။",
    ),
}

HINTS = {
    "intro": Text(
        "Read this aloud in a language the person understands, at their pace. You can save the form and finish "
        "it later.",
        "请用对方听得懂的语言，按对方的节奏朗读这段话。表格可以先保存，稍后再填完。",
        "อ่านข้อความนี้ออกเสียงเป็นภาษาที่เจ้าตัวเข้าใจ ตามจังหวะของเจ้าตัว คุณบันทึกแบบฟอร์มไว้แล้วกลับมากรอกต่อภายหลังได้",
        "ဒီစာကို သူ နားလည်တဲ့ ဘာသာစကားနဲ့ သူ့အရှိန်အတိုင်း အသံထွက် ဖတ်ပြပါ။ ဖောင်ကို သိမ်းထားပြီး နောက်မှ "
        "ဆက်ဖြည့်လို့ ရပါတယ်။",
    ),
    "info_given": Text(
        "If the person is unwell or very distressed, stop here and come back later.",
        "如果对方身体不适或情绪非常激动，请在这里停下，稍后再继续。",
        "ถ้าเจ้าตัวไม่สบายหรือเครียดมาก ให้หยุดตรงนี้ แล้วค่อยกลับมาทำต่อภายหลัง",
        "သူ နေမကောင်းရင် ဒါမှမဟုတ် စိတ်အရမ်း ထိခိုက်နေရင် ဒီမှာ ရပ်ပြီး နောက်မှ ပြန်လာပါ။",
    ),
    "full_name": Text(
        "As printed in the passport, for example ZHANG WEI. Leave empty if there is no passport and the person "
        "cannot spell the name in Latin letters.",
        "按护照上印的写，例如 ZHANG WEI。如果没有护照，本人也拼不出拉丁字母的名字，就留空。",
        "เขียนตามที่พิมพ์ในหนังสือเดินทาง เช่น ZHANG WEI เว้นว่างไว้ถ้าไม่มีหนังสือเดินทางและเจ้าตัวสะกดชื่อเป็นอักษรละตินไม่ได้",
        "ပတ်စပို့ပေါ်မှာ ရိုက်ထားတဲ့အတိုင်း ရေးပါ၊ ဥပမာ ZHANG WEI။ ပတ်စပို့ မရှိဘဲ လက်တင်အက္ခရာနဲ့ "
        "စာလုံးပေါင်း မပြောနိုင်ရင် ကွက်လပ် ထားပါ။",
    ),
    "native_name": Text(
        "For example 张伟, สมชาย ใจดี or မောင်မောင်. If they can, let the person write it themselves. Needed when "
        "there is no Latin name.",
        "例如 张伟、สมชาย ใจดี 或 မောင်မောင်。如果可以，请本人亲手写。没有拉丁字母姓名时必须填写。",
        "เช่น 张伟, สมชาย ใจดี หรือ မောင်မောင် ถ้าทำได้ ให้เจ้าตัวเขียนเอง ต้องกรอกถ้าไม่มีชื่ออักษรละติน",
        "ဥပမာ 张伟၊ สมชาย ใจดี ဒါမှမဟုတ် မောင်မောင်။ ဖြစ်နိုင်ရင် ကိုယ်တိုင် ရေးပါစေ။ လက်တင်အမည် မရှိရင် "
        "ဖြည့်ရပါမယ်။",
    ),
    "sex": Text("As the person tells you.", "按本人说的填写。", "ตามที่เจ้าตัวบอก", "သူ ပြောတဲ့အတိုင်း ဖြည့်ပါ။"),
    "dob_known": Text(
        "Do not guess: record only what the person knows.",
        "不要猜：只记录本人知道的部分。",
        "อย่าเดา บันทึกเฉพาะที่เจ้าตัวรู้",
        "ခန့်မှန်းပြီး မဖြည့်ပါနဲ့၊ သူ သိတာကိုပဲ မှတ်ပါ။",
    ),
    "dob_year": Text(
        "Western calendar, for example 1994 (not the Thai Buddhist year 2537).",
        "公历年份，例如 1994（不是泰国佛历 2537）。",
        "ปีคริสต์ศักราช เช่น 1994 (ไม่ใช่ปีพุทธศักราช 2537)",
        "ခရစ်နှစ်ဖြင့်၊ ဥပမာ 1994 (မြန်မာနှစ် 1356 ဒါမှမဟုတ် ထိုင်း ဗုဒ္ဓနှစ် 2537 မဟုတ်ပါ)။",
    ),
    "nationality": Text(
        "Type a few letters to search. Choose Stateless if the person has no nationality; leave empty if not "
        "known.",
        "输入几个字即可搜索。如果此人没有任何国籍，请选“无国籍”；不知道就留空。",
        "พิมพ์ตัวอักษรสองสามตัวเพื่อค้นหา เลือก \"ไร้สัญชาติ\" ถ้าเจ้าตัวไม่มีสัญชาติใดเลย เว้นว่างไว้ถ้าไม่ทราบ",
        "ရှာဖို့ စာလုံး အနည်းငယ် ရိုက်ပါ။ ဘယ်နိုင်ငံရဲ့ နိုင်ငံသားမှ မဟုတ်ရင် \"နိုင်ငံမဲ့\" ကို ရွေးပါ၊ မသိရင် "
        "ကွက်လပ် ထားပါ။",
    ),
    "passport_number": Text(
        "Letters and digits only, as printed. Leave empty if there is no passport or it was taken away.",
        "只填字母和数字，与护照上印的一致。没有护照或护照被收走了，就留空。",
        "ตัวอักษรและตัวเลขเท่านั้น ตามที่พิมพ์ไว้ เว้นว่างไว้ถ้าไม่มีหนังสือเดินทางหรือถูกยึดไป",
        "ပတ်စပို့ပေါ်က အတိုင်း စာလုံးနဲ့ ဂဏန်းပဲ ထည့်ပါ။ ပတ်စပို့ မရှိရင် ဒါမှမဟုတ် သိမ်းယူခံထားရရင် ကွက်လပ် "
        "ထားပါ။",
    ),
    "phone": Text(
        "Only the person's own number, with the country code if known, for example +86 138 1234 5678. Not a "
        "relative's number.",
        "只填此人自己的号码，知道的话加上国家代码，例如 +86 138 1234 5678。不要填亲属的号码。",
        "เฉพาะหมายเลขของเจ้าตัวเท่านั้น ใส่รหัสประเทศถ้าทราบ เช่น +86 138 1234 5678 ไม่ใช่หมายเลขของญาติ",
        "သူ့ကိုယ်ပိုင် နံပါတ်ပဲ ထည့်ပါ၊ သိရင် နိုင်ငံကုဒ်နဲ့ ထည့်ပါ၊ ဥပမာ +86 138 1234 5678။ ဆွေမျိုးရဲ့ နံပါတ် "
        "မထည့်ပါနဲ့။",
    ),
    "compound": Text(
        "Type to search. Choose \"Not known or not on the list\" if unsure.",
        "输入文字搜索。不确定时请选“不知道或不在列表中”。",
        "พิมพ์เพื่อค้นหา ถ้าไม่แน่ใจ ให้เลือก \"ไม่ทราบหรือไม่มีในรายการ\"",
        "ရှာဖို့ ရိုက်ပါ။ မသေချာရင် \"မသိပါ (သို့) စာရင်းထဲ မပါပါ\" ကို ရွေးပါ။",
    ),
    "handed_over_by": Text(
        "The group or unit that brought the person, for example Border Guard Force (BGF/KNA).",
        "把此人带过来的武装团体或单位，例如边防部队（BGF/KNA）。",
        "กลุ่มหรือหน่วยที่นำตัวเจ้าตัวมาส่ง เช่น กองกำลังพิทักษ์ชายแดน (BGF/KNA)",
        "ဒီလူကို ခေါ်လာပေးတဲ့ အဖွဲ့ ဒါမှမဟုတ် တပ်ဖွဲ့၊ ဥပမာ နယ်ခြားစောင့်တပ် (BGF/KNA)။",
    ),
    "handed_over_on": Text(
        "Today, unless the handover was on another day.",
        "默认为今天；如果移交是在另一天，请修改。",
        "ค่าเริ่มต้นคือวันนี้ ถ้าส่งมอบตัววันอื่นให้แก้ไข",
        "မူလက ယနေ့ပါ၊ တခြားနေ့မှာ လွှဲပြောင်းခဲ့ရင် ပြင်ပါ။",
    ),
    "facility": Text(
        "The holding facility the person is checked in to.",
        "此人已登记入住的收容场所。",
        "สถานที่รองรับที่เจ้าตัวลงทะเบียนเข้าพัก",
        "ဒီလူ စာရင်းသွင်းပြီး နေထိုင်နေတဲ့ ထိန်းသိမ်းရေး နေရာ။",
    ),
}

_PAST_DATE = Text(
    "Give a date between 1900 and today.",
    "请填写 1900 年到今天之间的日期。",
    "ใส่วันที่ระหว่างปี 1900 ถึงวันนี้",
    "1900 ခုနှစ်နဲ့ ယနေ့ကြား ရက်စွဲကို ထည့်ပါ။",
)
CONSTRAINT_MESSAGES = {
    "dob_date": _PAST_DATE,
    "dob_month": _PAST_DATE,
    "dob_year": Text(
        "Give a year between 1900 and this year, in the Western calendar (1994, not 2537).",
        "请填写 1900 年到今年之间的公历年份（1994，不是 2537）。",
        "ใส่ปีคริสต์ศักราชระหว่าง 1900 ถึงปีนี้ (1994 ไม่ใช่ 2537)",
        "1900 နဲ့ ယခုနှစ်ကြား ခရစ်နှစ်ကို ထည့်ပါ (1994၊ 2537 မဟုတ်ပါ)။",
    ),
    "passport_number": Text(
        "A passport number has 5 to 20 letters and digits, without spaces.",
        "护照号码由 5 到 20 个字母和数字组成，不含空格。",
        "เลขที่หนังสือเดินทางมีตัวอักษรและตัวเลข 5 ถึง 20 ตัว ไม่มีเว้นวรรค",
        "ပတ်စပို့ နံပါတ်မှာ စာလုံးနဲ့ ဂဏန်း 5 လုံးကနေ 20 လုံးအထိ ပါပြီး ကွက်လပ် မပါပါ။",
    ),
    "phone": Text(
        "Use digits and spaces, with + at the start if there is a country code.",
        "请只用数字和空格；有国家代码时开头加 +。",
        "ใช้ตัวเลขและเว้นวรรค ถ้ามีรหัสประเทศให้ขึ้นต้นด้วย +",
        "ဂဏန်းနဲ့ ကွက်လပ်ပဲ သုံးပါ၊ နိုင်ငံကုဒ် ပါရင် ရှေ့ဆုံးမှာ + ထည့်ပါ။",
    ),
    "handed_over_on": Text(
        "The handover date cannot be in the future.",
        "移交日期不能晚于今天。",
        "วันที่ส่งมอบตัวต้องไม่เป็นวันในอนาคต",
        "လွှဲပြောင်းတဲ့ ရက်စွဲက ယနေ့ထက် နောက်ကျလို့ မရပါ။",
    ),
}

REQUIRED_MESSAGES = {
    "native_name": Text(
        "Write at least one name: in Latin letters or in the person's own script.",
        "请至少填写一个姓名：拉丁字母的，或本人文字的。",
        "กรอกชื่ออย่างน้อยหนึ่งชื่อ เป็นอักษรละติน หรือเป็นอักษรภาษาของเจ้าตัว",
        "အမည် အနည်းဆုံး တစ်ခု ရေးပါ- လက်တင်အက္ခရာနဲ့ ဒါမှမဟုတ် ကိုယ်ပိုင်ဘာသာ အက္ခရာနဲ့။",
    ),
}

# Fixed choice lists; the country, compound and facility lists are built in xlsform.py.
CHOICES = {
    "sex": {
        "male": Text("Male", "男", "ชาย", "ကျား"),
        "female": Text("Female", "女", "หญิง", "မ"),
        "other": Text("Other", "其他", "อื่น ๆ", "အခြား"),
        "unknown": Text("Not known or prefers not to say", "不知道或不愿说", "ไม่ทราบ หรือไม่ประสงค์จะบอก",
                        "မသိပါ (သို့) မပြောလိုပါ"),
    },
    "dob_precision": {
        "day": Text("The full date", "完整日期", "รู้วันที่ครบ", "ရက်၊ လ၊ နှစ် အပြည့်အစုံ"),
        "month": Text("Only month and year", "只知道年和月", "รู้แค่เดือนและปี", "လနဲ့ နှစ်ပဲ"),
        "year": Text("Only the year", "只知道年份", "รู้แค่ปี", "နှစ်ပဲ"),
        "unknown": Text("Not known", "不知道", "ไม่รู้", "မသိပါ"),
    },
}
# The "none of these" choice at the end of the compound and facility lists.
NONE_CHOICES = {
    "compound": Text("Not known or not on the list", "不知道或不在列表中", "ไม่ทราบหรือไม่มีในรายการ",
                     "မသိပါ (သို့) စာရင်းထဲ မပါပါ"),
    "facility": Text("Not checked in yet", "尚未安置", "ยังไม่ได้เข้าพัก", "နေရာ မချထားရသေးပါ"),
}
STATELESS = Text("Stateless", "无国籍", "ไร้สัญชาติ", "နိုင်ငံမဲ့")
