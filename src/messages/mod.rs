//! The one catalogue of words, in Chinese and English: diagnostics keyed by
//! code here, every other word a user reads in [`words`].

mod words;

pub use words::Word;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// Its code, as `--lang` writes it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

pub struct Text {
    pub message: &'static str,
    pub help: &'static str,
    pub labels: &'static [&'static str],
}

pub struct Entry {
    pub code: &'static str,
    pub en: Text,
    pub zh: Text,
}

const UNKNOWN: Text = Text { message: "{code}", help: "", labels: &[] };

pub fn text(code: &str, lang: Lang) -> &'static Text {
    match CATALOGUE.iter().find(|e| e.code == code) {
        Some(entry) => match lang {
            Lang::En => &entry.en,
            Lang::Zh => &entry.zh,
        },
        None => &UNKNOWN,
    }
}

/// Fills `{key}` placeholders from `args` in one pass: an argument's text
/// is copied as it is, never read again as a template (a path or a data key
/// holding `{reason}` prints as written). Braces that are not a known
/// placeholder stay (`this `{` is never closed`).
pub fn fill(template: &str, args: &[(&'static str, crate::diagnostic::Arg)], lang: Lang) -> String {
    fill_with(template, |key| args.iter().find(|(k, _)| *k == key).map(|(_, v)| v.get(lang)))
}

fn fill_with<'a>(template: &str, lookup: impl Fn(&str) -> Option<&'a str>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let filled = after.find('}').and_then(|close| {
            let key = &after[..close];
            Some((lookup(key)?, close))
        });
        match filled {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The catalogue's word for a noun of the rule language (`section`,
/// `figure` …); `None` for a word that is not one.
pub fn noun(en: &str) -> Option<Word> {
    Some(match en {
        "indicator" => Word::NounIndicator,
        "section" => Word::NounSection,
        "group" => Word::NounGroup,
        "test" => Word::NounTest,
        "figure" => Word::NounFigure,
        "figure or indicator" => Word::NounFigureOrIndicator,
        "method" => Word::NounMethod,
        "parameter" => Word::NounParameter,
        "unit" => Word::NounUnit,
        "level" => Word::NounLevel,
        "grade" => Word::NounGrade,
        "default" => Word::NounDefault,
        "round" => Word::NounRound,
        "review" => Word::NounReview,
        "checklist item" => Word::NounChecklistItem,
        "total" => Word::NounTotal,
        "name" => Word::NounName,
        "year" => Word::NounYear,
        "organization" => Word::NounOrganization,
        "goal" => Word::NounGoal,
        "budget" => Word::NounBudget,
        "target" => Word::NounTarget,
        "points" => Word::NounPoints,
        "actual" => Word::NounActual,
        _ => return None,
    })
}

/// Why an I/O operation failed: the catalogue's words, or the standard
/// library's name for a rarer kind.
pub fn io_reason(kind: std::io::ErrorKind) -> Result<Word, String> {
    use std::io::ErrorKind as K;
    Ok(match kind {
        K::NotFound => Word::IoNotFound,
        K::PermissionDenied => Word::IoPermissionDenied,
        K::IsADirectory => Word::IoIsADirectory,
        K::InvalidData => Word::IoInvalidData,
        K::AlreadyExists => Word::IoAlreadyExists,
        K::StorageFull => Word::IoStorageFull,
        K::BrokenPipe => Word::IoBrokenPipe,
        K::ReadOnlyFilesystem => Word::IoReadOnly,
        K::NotADirectory => Word::IoNotADirectory,
        K::AddrInUse => Word::IoAddrInUse,
        K::AddrNotAvailable => Word::IoAddrNotAvailable,
        other => return Err(other.to_string()),
    })
}

macro_rules! entry {
    ($code:expr, en: ($m:expr, $h:expr, [$($l:expr),*]), zh: ($zm:expr, $zh:expr, [$($zl:expr),*])) => {
        Entry {
            code: $code,
            en: Text { message: $m, help: $h, labels: &[$($l),*] },
            zh: Text { message: $zm, help: $zh, labels: &[$($zl),*] },
        }
    };
}

pub static CATALOGUE: &[Entry] = &[
    entry!(
        "jixiao::syntax::parse",
        en: ("expected {expected}, found {found}", "", ["expected {expected} here", "this `{` is never closed"]),
        zh: ("此处应为{expected}，实际是{found}", "", ["此处应为{expected}", "此 `{` 没有闭合"])
    ),
    entry!(
        "jixiao::syntax::keyword_as_name",
        en: ("`{word}` is a keyword and cannot be used as a name", "choose another name, or write it in backticks: `` `{word}` ``", ["a keyword"]),
        zh: ("`{word}` 是关键字，不能用作名称", "请换一个名称，或用反引号括起：`` `{word}` ``", ["关键字"])
    ),
    entry!(
        "jixiao::syntax::full_width",
        en: ("`{char}` is a full-width character", "type `{instead}` instead (switch the input method to half-width, 半角)", ["full-width"]),
        zh: ("`{char}` 是全角字符", "请改为 `{instead}`（将输入法切换为半角）", ["全角字符"])
    ),
    entry!(
        "jixiao::syntax::number",
        en: ("the number `{number}` cannot be represented exactly", "numbers may have at most 28 significant digits", ["this number"]),
        zh: ("数值 `{number}` 无法精确表示", "数值最多 28 位有效数字", ["此数值"])
    ),
    entry!(
        "jixiao::syntax::internal",
        en: ("internal error in jixiao at `{rule}`", "this is a bug, not your file: please report the file to the jixiao developers", ["here"]),
        zh: ("jixiao 内部错误（`{rule}`）", "这是程序缺陷，并非文件有误：请将此文件报告给 jixiao 开发者", ["此处"])
    ),
    entry!(
        "jixiao::io::unreadable",
        en: ("cannot read `{path}`: {reason}", "check the path and that the file exists", []),
        zh: ("无法读取 `{path}`：{reason}", "请检查路径，确认文件存在", [])
    ),
    entry!(
        "jixiao::io::no_rule_files",
        en: ("no rule files (`.jx`) found in {path}", "name a `.jx` file or a folder that holds some", []),
        zh: ("在 {path} 中没有找到规则文件（`.jx`）", "请指定 `.jx` 文件或包含规则文件的文件夹", [])
    ),
    entry!(
        "jixiao::io::write",
        en: ("cannot write `{path}`: {reason}", "check that the folder exists and is writable", []),
        zh: ("无法写入 `{path}`：{reason}", "请确认文件夹存在且可写", [])
    ),
    entry!(
        "jixiao::io::encoding",
        en: ("`{path}` is not UTF-8 text: {looks_like} (the first byte that is not UTF-8 is at offset {offset})", "save it as UTF-8 (in Excel or WPS: CSV UTF-8; in an editor: encoding UTF-8), or convert it: `iconv -f {iconv} -t UTF-8 {path} > utf8-copy`", []),
        zh: ("`{path}` 不是 UTF-8 文本：{looks_like}（第一个非 UTF-8 字节位于偏移 {offset}）", "请另存为 UTF-8（Excel 或 WPS 中选“CSV UTF-8”，编辑器中选编码 UTF-8），或转换：`iconv -f {iconv} -t UTF-8 {path} > utf8-copy`", [])
    ),
    entry!(
        "jixiao::io::exists",
        en: ("`{path}` already holds files: nothing was written", "name a new or empty folder with --out; generated files never replace yours", []),
        zh: ("`{path}` 中已有文件：未写入任何文件", "请用 --out 指定新的或空的文件夹；生成的文件不会覆盖已有文件", [])
    ),
    entry!(
        "jixiao::io::stdout",
        en: ("cannot write the output to standard output: {reason}", "the output is incomplete: check the disk space behind a `>` redirection, or the program reading the pipe; `-o FILE` writes a file atomically", []),
        zh: ("无法写入标准输出：{reason}", "输出不完整：请检查 `>` 重定向所在磁盘的空间，或读取管道的程序；`-o 文件` 可原子地写入文件", [])
    ),
    entry!(
        "jixiao::io::memory",
        en: ("cannot start the work: the system refused a thread ({reason})", "raise or lift the limit on virtual memory (`ulimit -v`), or free some memory, and run the command again", []),
        zh: ("无法开始运行：系统拒绝启动线程（{reason}）", "请提高或取消虚拟内存限制（`ulimit -v`），或释放部分内存，然后重新运行", [])
    ),
    entry!(
        "jixiao::audit::nothing_reported",
        en: ("nothing to audit: no data file given has `[reported]` figures", "add what the submitted report printed under `[reported]` (total, grade, sections, indicators); `jixiao eval` scores data without a report", ["no `[reported]` in this file"]),
        zh: ("没有可审核的内容：所给数据文件均没有 `[reported]`", "请在 `[reported]` 中填写报告所列数值（总分、等级、一级指标、三级指标）；只需计分请用 `jixiao eval`", ["此文件没有 `[reported]`"])
    ),
    entry!(
        "jixiao::check::import_missing",
        en: ("cannot import `{path}`: {reason}", "the path is relative to the file that imports it", ["imported here"]),
        zh: ("无法引用 `{path}`：{reason}", "路径相对于引用它的文件", ["在此引用"])
    ),
    entry!(
        "jixiao::check::import_outside_root",
        en: ("`{path}` is outside the rules root `{root}`", "rule files may only import files under the rules root; pass `--rules-root` to widen it", ["imported here"]),
        zh: ("`{path}` 不在规则根目录 `{root}` 之内", "规则文件只能引用规则根目录下的文件；可用 `--rules-root` 指定更大的根目录", ["在此引用"])
    ),
    entry!(
        "jixiao::check::import_cycle",
        en: ("`{path}` imports itself through a chain of `use`", "remove one of the `use` lines that close the circle", ["this import closes the circle"]),
        zh: ("`{path}` 通过一串 `use` 引用了自己", "删去构成循环的某一条 `use`", ["此引用构成循环"])
    ),
    entry!(
        "jixiao::check::empty_file",
        en: ("this rule file declares no scheme and no project", "a rule file must declare at least one `scheme` or `project`", ["empty"]),
        zh: ("此规则文件既没有方案也没有项目", "规则文件至少要声明一个 `scheme`（方案）或 `project`（项目）", ["空文件"])
    ),
    entry!(
        "jixiao::check::no_scheme",
        en: ("project `{project}` has no scheme to score it", "add `use \"scheme.jx\"` at the top of the file", ["this project"]),
        zh: ("项目 `{project}` 没有可用的计分方案", "在文件开头加上 `use \"scheme.jx\"`", ["此项目"])
    ),
    entry!(
        "jixiao::check::ambiguous_scheme",
        en: ("project `{project}` can see more than one scheme", "import exactly one scheme into a project's file", ["this project", "one scheme", "another scheme"]),
        zh: ("项目 `{project}` 可见多个计分方案", "每个项目文件只能引用一个方案", ["此项目", "一个方案", "另一个方案"])
    ),
    entry!(
        "jixiao::check::duplicate",
        en: ("{kind} `{name}` is declared twice", "give each its own name, or remove one", ["declared again here", "first declared here"]),
        zh: ("{kind} `{name}` 重复声明", "请改用不同的名称，或删去其中一个", ["此处再次声明", "首次声明在此"])
    ),
    entry!(
        "jixiao::check::duplicate_project",
        en: ("project `{project}` of {year} is declared twice", "each project and year has one rule file", ["declared again here", "first declared here"]),
        zh: ("{year} 年度项目 `{project}` 重复声明", "每个项目每个年度只有一个规则文件", ["此处再次声明", "首次声明在此"])
    ),
    entry!(
        "jixiao::check::unknown_name",
        en: ("unknown {kind} `{name}`", "", ["not declared"]),
        zh: ("未知的{kind} `{name}`", "", ["未声明"])
    ),
    entry!(
        "jixiao::check::unknown_unit",
        en: ("the scheme declares no unit `{name}`", "if it is a new unit, declare it in the scheme's `unit` line: `unit {name}: count` for whole numbers of things, `unit {name}: amount` for money and other non-negative quantities", ["not declared"]),
        zh: ("方案中没有声明单位 `{name}`", "若是新单位，请在方案的 `unit`（单位类别）行中声明：计件的写 `unit {name}: count`，金额等非负数量写 `unit {name}: amount`", ["未声明"])
    ),
    entry!(
        "jixiao::check::missing_item",
        en: ("`{owner}` has no `{item}`", "add a `{item}` line", ["`{item}` missing"]),
        zh: ("`{owner}` 缺少 `{item}`", "请补上 `{item}` 一行", ["缺少 `{item}`"])
    ),
    entry!(
        "jixiao::check::points_sum",
        en: ("the indicators of {section} add up to {sum} points; the section has {points}", "make the indicators' points add up to the section's points", ["the section has {points} points", "counted here"]),
        zh: ("一级指标 {section} 下各三级指标分值合计 {sum} 分，但该一级指标设定 {points} 分", "请调整三级指标分值，使其合计等于一级指标分值", ["一级指标设定 {points} 分", "计入此处"])
    ),
    entry!(
        "jixiao::check::total_sum",
        en: ("the sections of {project} add up to {sum} points; the scheme's total is {total}", "make the sections' points add up to the total", ["this project", "the scheme's total", "counted here"]),
        zh: ("项目 {project} 各一级指标合计 {sum} 分，但方案总分为 {total} 分", "请调整一级指标分值，使其合计等于总分", ["此项目", "方案总分", "计入此处"])
    ),
    entry!(
        "jixiao::check::assign_direction",
        en: ("a target direction cannot be `=`", "write `==` for exact equality (it scores 0 for anything else), or `>=` / `<=`", ["`=` only defines values"]),
        zh: ("目标值方向不能写 `=`", "精确相等请写 `==`（不相等即得 0 分），或写 `>=` / `<=`", ["`=` 只用于定义"])
    ),
    entry!(
        "jixiao::check::percent_built_in",
        en: ("`%` is built in and cannot be declared as a unit", "remove `%` from this `unit` line", ["built in"]),
        zh: ("`%` 是内置单位，不能再声明", "从此 `unit` 行中删去 `%`", ["内置单位"])
    ),
    entry!(
        "jixiao::check::round_step",
        en: ("a rounding step must be greater than 0", "write a step such as `0.01` or `0.1%`", ["this step"]),
        zh: ("舍入步长必须大于 0", "请写如 `0.01` 或 `0.1%` 的步长", ["此步长"])
    ),
    entry!(
        "jixiao::check::level_fraction",
        en: ("a level's fraction must be a percent from 0% to 100%", "write a percent such as `100%` or `[60%, 80%)`", ["this fraction"]),
        zh: ("档次比例必须是 0% 到 100% 之间的百分数", "请写如 `100%` 或 `[60%, 80%)` 的百分数", ["此比例"])
    ),
    entry!(
        "jixiao::check::level_range",
        en: ("this range holds no fraction", "write the lower bound first, e.g. `[60%, 80%)`", ["empty range"]),
        zh: ("此区间为空", "下限写在前，如 `[60%, 80%)`", ["空区间"])
    ),
    entry!(
        "jixiao::check::grade_order",
        en: ("grade `{name}` can never be reached", "list grades from the highest bound down, with `otherwise` last", ["unreachable", "an earlier grade already takes these totals"]),
        zh: ("等级 `{name}` 永远不会被评定", "等级按下限从高到低排列，`otherwise`（其他）放在最后", ["无法达到", "前面的等级已覆盖这些分数"])
    ),
    entry!(
        "jixiao::check::grade_direction",
        en: ("a grade's bound must be written `>=`", "write e.g. `grade 优秀 >= 90`", ["write `>=`"]),
        zh: ("等级下限必须写作 `>=`", "例如 `grade 优秀 >= 90`", ["请写 `>=`"])
    ),
    entry!(
        "jixiao::syntax::compound_unit",
        en: ("a unit per unit is not declared", "declare its parts (`unit 万元: amount`, `unit 人次: count`); `万元/人次` follows from them", ["a unit per unit"]),
        zh: ("复合单位无需声明", "请分别声明其组成单位（`unit 万元: amount`、`unit 人次: count`），`万元/人次` 由此而来", ["复合单位"])
    ),
    entry!(
        "jixiao::check::group_points_sum",
        en: ("the indicators of group {group} add up to {sum} points; the group has {points}", "make the indicators' points add up to the group's points, or leave the group's points out", ["the group has {points} points", "counted here"]),
        zh: ("二级指标 {group} 下各三级指标分值合计 {sum} 分，但该二级指标设定 {points} 分", "请调整三级指标分值使其合计等于二级指标分值，或不为二级指标设定分值", ["二级指标设定 {points} 分", "计入此处"])
    ),
    entry!(
        "jixiao::syntax::date",
        en: ("`{date}` is not a date of the calendar", "write a day that exists, e.g. `2019-12-31`, or a month alone (`2019-12`: its last day)", ["this date"]),
        zh: ("`{date}` 不是有效的日期", "请写出存在的日期，如 `2019-12-31`；只写月份（`2019-12`）表示该月最后一天", ["此日期"])
    ),
    entry!(
        "jixiao::check::checklist",
        en: ("the checklist of `{id}` {why}", "write e.g. `target checklist deduct 0.5 { 制度 \"制定管理办法\"; 台账 \"建立台账\" }`: items, and the points each missing one deducts", ["here"]),
        zh: ("`{id}` 的检查清单{why}", "例如 `目标值 检查清单 每缺一项扣 0.5 { 制度 \"制定管理办法\"; 台账 \"建立台账\" }`：列出各项，并写明每缺一项扣几分", ["此处"])
    ),
    entry!(
        "jixiao::check::deadline_method",
        en: ("method `{method}` on deadline `{id}` {why}", "a deadline's method reads `actual` as days late, full points at 0: e.g. `method on_time = if actual <= 0 then points else points * 50%` with `default by on_time`", ["used here", "the method"]),
        zh: ("完成时限 `{id}` 使用的计分方法 `{method}` {why}", "完成时限的计分方法中 `actual` 为逾期天数、0 天得满分，例如 `method on_time = if actual <= 0 then points else points * 50%` 并写 `default by on_time`", ["在此使用", "计分方法"])
    ),
    entry!(
        "jixiao::check::dated_in_expression",
        en: ("`{name}` is a deadline or a checklist and has no number to compute with", "only numeric indicators and figures can be used in expressions", ["a date or items"]),
        zh: ("`{name}` 是完成时限或检查清单，没有可参与计算的数值", "表达式中只能使用定量指标和基础数据", ["日期或清单项"])
    ),
    entry!(
        "jixiao::check::not_derived",
        en: ("`{id}` is met by a date or by checklist items the data gives: its actual cannot be derived", "remove the `actual = …` line; give the date or the items met under `[actual]`", ["remove this"]),
        zh: ("`{id}` 的完成值是数据中填写的日期或清单项，不能由公式计算", "请删去 `actual = …` 一行，在 `[actual]` 中填写完成日期或已具备的清单项", ["请删去"])
    ),
    entry!(
        "jixiao::data::date",
        en: ("`{found}` is not a date", "write the day the work was done (`2019-12-20`, `2019年12月20日`, or a month: `2019年12月`), or `未完成` if it was not; the deadline is {deadline}", ["this value"]),
        zh: ("`{found}` 不是日期", "请填写完成日期（`2019-12-20`、`2019年12月20日`，或月份 `2019年12月`），未完成的填 `未完成`；完成时限为 {deadline}", ["此值"])
    ),
    entry!(
        "jixiao::data::checklist_item",
        en: ("`{item}` is not an item of this checklist", "the items are {known}; list those met, by id or wording", ["this list"]),
        zh: ("`{item}` 不是此检查清单中的项", "清单各项为 {known}；请列出已具备的项（编号或表述）", ["此清单"])
    ),
    entry!(
        "jixiao::data::checklist_twice",
        en: ("`{item}` is listed twice", "list each item met once", ["this list"]),
        zh: ("`{item}` 重复列出", "每个已具备的项只列一次", ["此清单"])
    ),
    entry!(
        "jixiao::check::review",
        en: ("the limit of this review rule is out of range", "a multiple of the target above 1 (`review actual >= 3 × target`), a percent above 0 (`review actual > 100%`, `review deviation > 50%`), a budget threshold in (0%, 100%] (`review budget < 90%`)", ["this rule"]),
        zh: ("此复核规则的阈值超出范围", "目标值的倍数须大于 1（`复核 完成值 >= 3 × 目标值`），百分数须大于 0（`复核 完成值 > 100%`、`复核 偏差率 > 50%`），预算执行率阈值须在 (0%, 100%] 之间（`复核 预算指标 < 90%`）", ["此规则"])
    ),
    entry!(
        "jixiao::check::scale",
        en: ("a scale relates two different declared units of one kind by positive amounts", "write e.g. `scale 1 万元 = 10000 元`, with both units declared by `unit`", ["this side", "that side"]),
        zh: ("换算须以正数关联两个已声明的同类单位", "例如 `换算 1 万元 = 10000 元`，两个单位均须用 `unit` 声明", ["此侧", "彼侧"])
    ),
    entry!(
        "jixiao::check::grade_mixed",
        en: ("grade bands mix points and rates", "write every band as a score rate (`>= 90%`) or every band as a total in points (`>= 90`)", ["this band", "an earlier band on the other scale"]),
        zh: ("等级下限混用了分数和得分率", "全部写成得分率（`>= 90%`）或全部写成总分（`>= 90`）", ["此等级", "前面的等级用的是另一种"])
    ),
    entry!(
        "jixiao::check::grade_points",
        en: ("grade bands are in points, but the total is {total}", "bands in points read as out of 100; write them as score rates, e.g. `grade 优秀 >= 90%`", ["a bound in points", "the total"]),
        zh: ("等级下限按分数书写，但总分为 {total}", "按分数书写的下限默认满分为 100；请改为得分率，例如 `grade 优秀 >= 90%`", ["按分数的下限", "总分"])
    ),
    entry!(
        "jixiao::check::default_with_params",
        en: ("method `{name}` takes parameters, so it cannot be a default", "a default method is called without arguments; name it on each indicator instead", ["used as a default", "declared with parameters"]),
        zh: ("计分方法 `{name}` 带参数，不能作为默认方法", "默认方法不带参数调用；请在各指标上写明该方法及参数", ["用作默认方法", "带参数的声明"])
    ),
    entry!(
        "jixiao::check::no_default_method",
        en: ("the scheme has no default method for `{direction}` targets", "add `default {direction} METHOD` to the scheme, or name a method on `{id}`", ["no method scores this target"]),
        zh: ("方案没有 `{direction}` 目标值的默认计分方法", "在方案中加入 `default {direction} 方法名`，或在 `{id}` 上写明计分方法", ["没有计分方法"])
    ),
    entry!(
        "jixiao::check::arity",
        en: ("`{name}` takes {expected} arguments, not {found}", "pass exactly {expected} arguments", ["called here", "declared here"]),
        zh: ("`{name}` 需要 {expected} 个参数，而不是 {found} 个", "请传入 {expected} 个参数", ["在此调用", "在此声明"])
    ),
    entry!(
        "jixiao::check::year",
        en: ("`{year}` is not a year", "write a four-digit year such as `2018`", ["not a year"]),
        zh: ("`{year}` 不是有效年度", "请写四位年度，如 `2018`", ["不是年度"])
    ),
    entry!(
        "jixiao::check::unit_mismatch",
        en: ("the actual is {actual} but the target is {target}", "derive the actual in the target's unit (a ratio of like units compares with a percent)", ["this is {actual}", "the target is {target}"]),
        zh: ("完成值的单位是 {actual}，目标值的单位却是 {target}", "请用与目标值相同的单位计算完成值（同单位之比可与百分数比较）", ["此处为 {actual}", "目标值为 {target}"])
    ),
    entry!(
        "jixiao::check::plain_target",
        en: ("the target of `{id}` is a plain number, but its actual is a percent or ratio", "write the target as a percent: a ratio of 1 is `100%`, so `>= 1` becomes `>= 100%`", ["a plain number", "a percent or ratio"]),
        zh: ("`{id}` 的目标值是纯数值，完成值却是百分数或比率", "请把目标值写成百分数：比率 1 即 `100%`，`>= 1` 应写作 `>= 100%`", ["纯数值", "百分数或比率"])
    ),
    entry!(
        "jixiao::check::unit_arithmetic",
        en: ("cannot combine {left} with {right}", "add and compare only like units; divide like units to get a ratio", ["unlike units"]),
        zh: ("{left} 与 {right} 不能直接运算", "只能对同单位的数相加、比较；同单位相除得比率", ["单位不一致"])
    ),
    entry!(
        "jixiao::check::not_a_number",
        en: ("a comparison stands where a number is expected", "use `if … then … else …` to turn a comparison into a number", ["a comparison"]),
        zh: ("此处需要数值，却是一个比较", "请用 `if … then … else …` 把比较变成数值", ["比较"])
    ),
    entry!(
        "jixiao::check::not_a_condition",
        en: ("a number stands where a comparison is expected", "compare it, e.g. `actual >= target`", ["not a comparison"]),
        zh: ("此处需要比较，却是一个数值", "请写成比较，如 `actual >= target`", ["不是比较"])
    ),
    entry!(
        "jixiao::check::variable_outside_method",
        en: ("`{name}` can only be used inside a scoring method", "name the figure or indicator instead", ["not available here"]),
        zh: ("`{name}` 只能在计分方法中使用", "请改用基础数据或指标的名称", ["此处不可用"])
    ),
    entry!(
        "jixiao::check::qualitative_in_expression",
        en: ("`{name}` is a qualitative indicator and has no number", "only numeric indicators and figures can be used in expressions", ["qualitative"]),
        zh: ("`{name}` 是定性指标，没有数值", "表达式中只能使用定量指标和基础数据", ["定性指标"])
    ),
    entry!(
        "jixiao::check::qualitative_derived",
        en: ("qualitative indicator `{id}` cannot have a derived actual", "a qualitative indicator's actual is a level, given in the data", ["remove this"]),
        zh: ("定性指标 `{id}` 不能有计算得出的完成值", "定性指标的完成值是档次，在数据文件中填写", ["请删去"])
    ),
    entry!(
        "jixiao::check::qualitative_method",
        en: ("a qualitative indicator scores by its level, not by method `{name}`", "remove the `method` line; points × the level's fraction is the score", ["remove this"]),
        zh: ("定性指标按档次计分，不能使用计分方法 `{name}`", "请删去 `method` 一行；得分为分值 × 档次比例", ["请删去"])
    ),
    entry!(
        "jixiao::check::cycle",
        en: ("derived actuals depend on each other in a circle: {cycle}", "break the circle: one of these must be reported, not derived", ["closes the circle"]),
        zh: ("完成值之间循环依赖：{cycle}", "请打破循环：其中之一应在数据中填报，而非计算", ["构成循环"])
    ),
    entry!(
        "jixiao::check::expect_fails",
        en: ("this check fails whatever the data", "correct the figures in the rule", ["always false"]),
        zh: ("此核对无论数据如何都不成立", "请更正规则中的数值", ["恒不成立"])
    ),
    entry!(
        "jixiao::check::unused_figure",
        en: ("figure `{name}` is declared but never used", "use it in a derived actual or an `expect`, or remove it", ["unused"]),
        zh: ("基础数据 `{name}` 已声明但从未使用", "请在完成值计算或核对中使用它，或删去", ["未使用"])
    ),
    entry!(
        "jixiao::check::zero_points",
        en: ("indicator `{id}` is worth 0 points", "an indicator worth nothing cannot change the score; give it points or remove it", ["0 points"]),
        zh: ("三级指标 `{id}` 分值为 0", "0 分指标不影响得分；请设定分值或删去", ["0 分"])
    ),
    entry!(
        "jixiao::data::syntax",
        en: ("this {format} is malformed: {reason}", "fix the syntax at the marked place", ["here"]),
        zh: ("{format} 格式错误：{reason}", "请修正标出位置的语法", ["此处"])
    ),
    entry!(
        "jixiao::data::unquoted_key",
        en: ("a key that is not plain ASCII must be quoted in TOML", "write the key in double quotes, e.g. `\"巡查\" = 251`", ["quote this key"]),
        zh: ("TOML 中非 ASCII 的键必须加引号", "请给键加上双引号，如 `\"巡查\" = 251`", ["请给此键加引号"])
    ),
    entry!(
        "jixiao::data::reported",
        en: ("this reported figure is malformed: expected {expected}", "write the figure as the report prints it: numbers bare, percents as strings such as `\"91.6%\"`", ["malformed"]),
        zh: ("此报告数值格式有误：应为{expected}", "请按报告所印填写：数值直接写，百分数写成字符串，如 `\"91.6%\"`", ["格式有误"])
    ),
    entry!(
        "jixiao::data::shape",
        en: ("expected {expected}, found a {found}", "", ["this value"]),
        zh: ("此处应为{expected}，实际是 {found}", "", ["此值"])
    ),
    entry!(
        "jixiao::data::missing_key",
        en: ("the data file has no `{key}`", "add `{key} = …` at the top of the file", []),
        zh: ("数据文件缺少 `{key}`", "在文件开头加上 `{key} = …`", [])
    ),
    entry!(
        "jixiao::data::unknown_section",
        en: ("unknown key `{key}` in a data file", "here the keys are {known}", ["unknown"]),
        zh: ("数据文件中有未知的键 `{key}`", "此处可用的键有 {known}", ["未知"])
    ),
    entry!(
        "jixiao::data::duplicate_key",
        en: ("`{key}` is given twice", "keep one value", ["given again here", "first given here"]),
        zh: ("`{key}` 填写了两次", "只保留一个值", ["此处再次填写", "首次填写在此"])
    ),
    entry!(
        "jixiao::data::not_a_number",
        en: ("expected a number, found {found}", "write a number such as `3000`, or a percent such as `\"97%\"`", ["not a number"]),
        zh: ("此处应为数值，实际是 {found}", "请填写数值如 `3000`，或百分数如 `\"97%\"`", ["不是数值"])
    ),
    entry!(
        "jixiao::data::full_width",
        en: ("`{found}` is written with full-width characters", "type `{instead}` instead (switch the input method to half-width, 半角)", ["full-width"]),
        zh: ("`{found}` 含有全角字符", "请改为 `{instead}`（将输入法切换为半角）", ["全角字符"])
    ),
    entry!(
        "jixiao::data::unit_in_value",
        en: ("`{found}` has its unit written in the value", "write the number alone, `{number}`: a value's unit is the one its rule file declares (`figure NAME {unit}`, or the target's unit, as in `target >= 500 {unit}`), never written in the data; a unit the scheme lacks is added to its `unit` line", ["a number and a unit"]),
        zh: ("`{found}` 在数值中写了单位", "请只写数值 `{number}`：数值的单位以规则文件的声明为准（`基础数据 名称 {unit}`，或目标值的单位，如 `目标值 >= 500 {unit}`），不写在数据中；方案中没有的单位请加到方案的 `unit` 行", ["数值与单位"])
    ),
    entry!(
        "jixiao::data::too_large",
        en: ("`{found}` is too large or too precise: at most 28 significant digits", "check for a typo such as a misplaced decimal point or extra zeros; amounts are in the unit the rules declare (万元 for the funds)", ["too many digits"]),
        zh: ("`{found}` 数值过大或位数过多：最多 28 位有效数字", "请检查是否有笔误，如小数点位置错误或多写了零；金额以规则声明的单位计（资金为万元）", ["位数过多"])
    ),
    entry!(
        "jixiao::data::percent_expected",
        en: ("this indicator is a percent, but `{found}` has no `%`", "write it as a percent string, e.g. `\"{percent}%\"`", ["write a percent"]),
        zh: ("此指标是百分数，但 `{found}` 没有 `%`", "请写成百分数字符串，如 `\"{percent}%\"`", ["请写百分数"])
    ),
    entry!(
        "jixiao::data::percent_unexpected",
        en: ("this value is counted in {unit}, not a percent", "write the number without `%`", ["not a percent"]),
        zh: ("此值以 {unit} 计，不是百分数", "请去掉 `%`，填写数值", ["不是百分数"])
    ),
    entry!(
        "jixiao::data::plain_target",
        en: ("`{found}` is a percent, but `{name}` is a plain number", "if `{name}` is a rate, make it a percent in the rule file (a target such as `>= 99%`, or `figure {name} %`); otherwise write the value without `%`", ["a percent", "a plain number"]),
        zh: ("`{found}` 是百分数，但 `{name}` 是纯数值", "若 `{name}` 是比率，请在规则文件中写成百分数（目标值如 `>= 99%`，或 `基础数据 {name} %`）；否则请去掉 `%`", ["百分数", "纯数值"])
    ),
    entry!(
        "jixiao::data::count",
        en: ("`{found}` is not a count of {unit}", "a count is a whole number, 0 or more", ["not a whole, non-negative number"]),
        zh: ("`{found}` 不是有效的{unit}数", "计数应为不小于 0 的整数", ["不是非负整数"])
    ),
    entry!(
        "jixiao::data::negative",
        en: ("`{found}` is negative", "reported amounts, percents and numbers are 0 or more (scoring methods are proven for actuals of 0 and up): check the sign", ["negative"]),
        zh: ("`{found}` 为负数", "填报的金额、百分数和数值不能为负（计分方法按完成值不小于 0 验证）：请检查符号", ["负数"])
    ),
    entry!(
        "jixiao::data::unknown_level",
        en: ("`{level}` is not a level of this scheme", "the scheme's levels are {known}", ["unknown level"]),
        zh: ("`{level}` 不是本方案的档次", "本方案的档次有 {known}", ["未知档次"])
    ),
    entry!(
        "jixiao::data::fraction_range",
        en: ("{fraction} is outside the range of level `{level}`", "give a fraction inside the level's range, or choose another level", ["outside the range", "the level's range"]),
        zh: ("{fraction} 不在档次 `{level}` 的范围内", "请填写该档次范围内的比例，或改选其他档次", ["超出范围", "档次范围"])
    ),
    entry!(
        "jixiao::data::fraction_missing",
        en: ("level `{level}` is a range: the data must give the fraction", "write `{ level = \"{level}\", fraction = \"{example}\" }`, a fraction inside its range", ["fraction missing", "the level's range"]),
        zh: ("档次 `{level}` 是一个区间，数据中须给出比例", "请写 `{ level = \"{level}\", fraction = \"{example}\" }`，比例须在该档次范围内", ["缺少比例", "档次区间"])
    ),
    entry!(
        "jixiao::data::level_expected",
        en: ("expected a level such as `\"达成\"`", "a qualitative indicator's actual is a level name, or `{ level = …, fraction = … }`", ["not a level"]),
        zh: ("此处应为档次，如 `\"达成\"`", "定性指标的完成值是档次名称，或 `{ level = …, fraction = … }`", ["不是档次"])
    ),
    entry!(
        "jixiao::data::derived_given",
        en: ("`{id}`'s actual is derived by the rules and cannot be given", "remove this line: the rules compute it from figures", ["given here", "derived here"]),
        zh: ("`{id}` 的完成值由规则计算得出，不能直接填写", "请删去此行：规则会根据基础数据计算", ["在此填写", "在此计算"])
    ),
    entry!(
        "jixiao::data::missing_actual",
        en: ("no actual value for indicator `{id}`", "add `\"{id}\" = …` under `[actual]`", ["in this project's data", "the indicator"]),
        zh: ("三级指标 `{id}` 缺少实际完成值", "请在 `[actual]` 下补上 `\"{id}\" = …`", ["此项目的数据", "该指标"])
    ),
    entry!(
        "jixiao::data::missing_figure",
        en: ("no value for figure `{name}`", "add `\"{name}\" = …` under `[figures]` or `[funds]`", ["in this project's data", "the figure"]),
        zh: ("基础数据 `{name}` 缺少数值", "请在 `[figures]` 或 `[funds]` 下补上 `\"{name}\" = …`", ["此项目的数据", "该基础数据"])
    ),
    entry!(
        "jixiao::data::unknown_id",
        en: ("the rules have no {kind} `{id}`", "", ["unknown"]),
        zh: ("规则中没有{kind} `{id}`", "", ["未知"])
    ),
    entry!(
        "jixiao::data::unknown_project",
        en: ("no rule file declares project `{project}` of {year}", "the rules declare {known}", ["this project"]),
        zh: ("没有规则文件声明 {year} 年度项目 `{project}`", "规则中的项目有 {known}", ["此项目"])
    ),
    entry!(
        "jixiao::eval::division_by_zero",
        en: ("division by zero", "a figure this rule divides by is 0 in the data", ["divides here", "this value"]),
        zh: ("除数为零", "此规则用作除数的数据为 0", ["在此相除", "此数值"])
    ),
    entry!(
        "jixiao::eval::overflow",
        en: ("a value is too large to compute exactly", "check the data for a misplaced decimal point", ["computed here", "this value"]),
        zh: ("数值过大，无法精确计算", "请检查数据的小数点位置", ["在此计算", "此数值"])
    ),
    entry!(
        "jixiao::eval::expect_failed",
        en: ("the check `{expect}` does not hold: {left}", "correct the figures, or the rule if it is wrong", ["this check", "this figure"]),
        zh: ("核对 `{expect}` 不成立：{left}", "请更正数据，或更正有误的规则", ["此核对", "此数据"])
    ),
    entry!(
        "jixiao::eval::expect_uncomputable",
        en: ("the check `{expect}` cannot be computed: {reason}", "a check never stops scoring; look at the figures it reads (a 0 where a divisor belongs?)", ["this check", "this figure"]),
        zh: ("核对 `{expect}` 无法计算：{reason}", "核对不影响计分；请检查其读取的基础数据（除数是否为 0？）", ["此核对", "此数据"])
    ),
    entry!(
        "jixiao::eval::no_grade",
        en: ("no grade covers a total of {score}", "end the grade list with `grade NAME otherwise`", ["this project"]),
        zh: ("没有等级覆盖总分 {score}", "在等级末尾加上 `grade 名称 otherwise`", ["此项目"])
    ),
    entry!(
        "jixiao::eval::negative_derived",
        en: ("the actual of `{id}` comes to {value}, below zero", "actuals are 0 or more: check the figures and the rule that derives it", ["derived here", "this figure"]),
        zh: ("`{id}` 的完成值计算结果为 {value}，小于零", "完成值不能为负：请核对基础数据及计算规则", ["在此计算", "此数据"])
    ),
    entry!(
        "jixiao::eval::score_range",
        en: ("`{id}` would score {score} of {points} points", "the method `{method}` goes outside 0 to {points} at this actual, which the checker could not rule out (warning `jixiao::check::method_unproven`): bound it, e.g. `max(min(…, points), 0)`", ["scored by this method", "this actual"]),
        zh: ("`{id}` 的得分将为 {score}（分值 {points}）", "计分方法 `{method}` 在此完成值下超出 0 至 {points} 的范围，检查时未能排除（警告 `jixiao::check::method_unproven`）：请加以限定，如 `max(min(…, points), 0)`", ["计分方法", "此完成值"])
    ),
    entry!(
        "jixiao::check::points_range",
        en: ("{points} points is more than any scheme can mean", "points are at most 1 000 000 000", ["too large"]),
        zh: ("{points} 分超出合理范围", "分值最多为 1 000 000 000", ["过大"])
    ),
    entry!(
        "jixiao::check::division_by_zero",
        en: ("division by zero", "a rule cannot divide by the constant 0", ["divides by 0"]),
        zh: ("除数为零", "规则不能以常数 0 作除数", ["以 0 作除数"])
    ),
    entry!(
        "jixiao::syntax::too_deep",
        en: ("the expression nests deeper than {limit} levels", "split it into derived actuals or simpler steps", ["too deep"]),
        zh: ("表达式嵌套超过 {limit} 层", "请拆分为若干完成值计算或更简单的步骤", ["嵌套过深"])
    ),
    entry!(
        "jixiao::data::too_deep",
        en: ("arrays and tables nest deeper than {limit} levels here", "project data nests a few levels at most: check that the file is project data", ["too deep"]),
        zh: ("此处数组和表的嵌套超过 {limit} 层", "项目数据最多嵌套几层：请确认这是项目数据文件", ["嵌套过深"])
    ),
    entry!(
        "jixiao::batch::too_deep",
        en: ("the record nests arrays and objects deeper than {limit} levels", "a record is one flat JSON object of column names and values", []),
        zh: ("该记录中数组和对象的嵌套超过 {limit} 层", "每条记录应是一个由列名和值组成的扁平 JSON 对象", [])
    ),
    entry!(
        "jixiao::eval::tenfold",
        en: ("the actual of `{id}` ({actual}) is more than ten times its target ({target})", "a target set too low? check the target and the figure", ["the target", "the actual"]),
        zh: ("`{id}` 的完成值（{actual}）超过目标值（{target}）十倍", "目标值是否定得过低？请核对目标值与数据", ["目标值", "完成值"])
    ),
    entry!(
        "jixiao::review::reason",
        en: ("`{id}` scored {score} of {points} and the data gives no reason for the shortfall", "add `\"{id}\" = \"…\"` under `[reasons]` (偏差原因): the scheme's `review reason` asks for one", ["the review rule", "its actual"]),
        zh: ("`{id}` 得 {score} 分（分值 {points}），数据未说明偏差原因", "在 `[reasons]` 下补充 `\"{id}\" = \"…\"`：方案的 `复核 偏差原因` 要求说明", ["复核规则", "完成值"])
    ),
    entry!(
        "jixiao::review::evidence",
        en: ("`{id}` claims {level} without evidence", "add `\"{id}\" = \"…\"` under `[evidence]` (佐证材料): the scheme's `review evidence` asks for it", ["the review rule", "its actual"]),
        zh: ("`{id}` 自评为{level}，但未提供佐证", "在 `[evidence]` 下补充 `\"{id}\" = \"…\"`（佐证材料）：方案的 `复核 佐证` 要求提供", ["复核规则", "完成值"])
    ),
    entry!(
        "jixiao::review::target_low",
        en: ("the actual of `{id}` ({actual}) is at least {limit} times its target ({target})", "a target set too low? the scheme reviews `{rule}`", ["the review rule", "the actual"]),
        zh: ("`{id}` 的完成值（{actual}）达到目标值（{target}）的 {limit} 倍以上", "目标值是否定得过低？方案复核 `{rule}`", ["复核规则", "完成值"])
    ),
    entry!(
        "jixiao::review::above",
        en: ("`{id}` reports {actual}, above {limit}", "a rate above 100% usually means a wrong figure or a wrong base (funds executed over funds in place); check the data", ["the review rule", "the actual"]),
        zh: ("`{id}` 的完成值为 {actual}，超过 {limit}", "比率超过 100% 通常是数据或口径有误（如执行数大于到位数），请核对数据", ["复核规则", "完成值"])
    ),
    entry!(
        "jixiao::review::deviation",
        en: ("`{id}` deviates {deviation} from its target ({target}), beyond ±{limit}", "check the target and the figure: a deviation this large is asked about even when a reason is given", ["the review rule", "the actual"]),
        zh: ("`{id}` 偏离目标值（{target}）{deviation}，超出 ±{limit}", "请核对目标值与数据：偏差这么大，即使已说明原因也要复核", ["复核规则", "完成值"])
    ),
    entry!(
        "jixiao::review::budget",
        en: ("budget execution `{id}` is {actual}, below {limit}, and the data gives no reason", "add `\"{id}\" = \"…\"` under `[reasons]`: the scheme's `{rule}` asks for one", ["the review rule", "the budget rate"]),
        zh: ("预算执行率 `{id}` 为 {actual}，低于 {limit}，数据未说明原因", "在 `[reasons]` 下补充 `\"{id}\" = \"…\"`：方案复核 `{rule}` 要求说明", ["复核规则", "预算执行率"])
    ),
    entry!(
        "jixiao::batch::missing_value",
        en: ("no value", "every record needs a value in each column the rules read", []),
        zh: ("缺少数值", "每条记录都须在规则读取的各列中填写数值", [])
    ),
    entry!(
        "jixiao::batch::unknown_column",
        en: ("the rules read no column `{column}`", "batch columns are the project's actual and figure ids, and project, year, organization", []),
        zh: ("规则不读取 `{column}` 列", "批量数据的列为项目的完成值与基础数据编号，以及 project、year、organization", [])
    ),
    entry!(
        "jixiao::batch::missing_column",
        en: ("the records have no column for {columns}", "add a column for each, named as in the rules", []),
        zh: ("记录缺少以下列：{columns}", "请为每项加一列，列名与规则一致", [])
    ),
    entry!(
        "jixiao::batch::not_one_project",
        en: ("a batch scores one project, but the rules declare {count}", "name the one rule file of the project the records are for", []),
        zh: ("批量计分只针对一个项目，但规则中有 {count} 个项目", "请指定该批记录所属项目的规则文件", [])
    ),
    entry!(
        "jixiao::batch::other_project",
        en: ("the record is for `{project}`, not `{expected}`", "score each project's records with its own rule file", []),
        zh: ("该记录属于 `{project}`，而不是 `{expected}`", "请用各项目自己的规则文件为其记录计分", [])
    ),
    entry!(
        "jixiao::batch::cell_count",
        en: ("the record has {found} cells, the header {expected}", "quote a cell that holds a comma; give every column a cell, empty if need be", []),
        zh: ("该记录有 {found} 个单元格，表头有 {expected} 个", "含逗号的单元格请加引号；每列都要有单元格", [])
    ),
    entry!(
        "jixiao::batch::bad_record",
        en: ("the record cannot be read: {reason}", "check the record's quoting and separators", []),
        zh: ("无法读取该记录：{reason}", "请检查该记录的引号和分隔符", [])
    ),
    entry!(
        "jixiao::batch::unknown_output_column",
        en: ("no output column `{column}`", "choose among project, year, total, grade and the indicator ids", []),
        zh: ("没有输出列 `{column}`", "可选 project、year、total、grade 及各三级指标编号", [])
    ),
    entry!(
        "jixiao::batch::format",
        en: ("the {format} format is not for this kind of data", "a project data file gives the 自评表 (table, json, markdown, csv, html, xlsx); a batch gives records (csv, jsonl)", []),
        zh: ("{format} 格式不适用于此类数据", "项目数据文件输出自评表（table、json、markdown、csv、html、xlsx）；批量记录输出 csv 或 jsonl", [])
    ),
    entry!(
        "jixiao::batch::one_input",
        en: ("a batch reads one file of records", "concatenate the records into one file, or run once per file", []),
        zh: ("批量计分只读取一个记录文件", "请将记录合并为一个文件，或逐个文件运行", [])
    ),
    entry!(
        "jixiao::cli::binary_needs_output",
        en: ("the {format} format is binary and needs `-o FILE`", "add `-o report.{format}` to write it to a file", []),
        zh: ("{format} 是二进制格式，需要 `-o 文件`", "请加上 `-o report.{format}` 写入文件", [])
    ),
    entry!(
        "jixiao::cli::usage",
        en: ("{message}", "run `jixiao --help` for the commands, or `jixiao COMMAND --help` for one command's options", []),
        zh: ("命令行有误：{message}", "运行 `jixiao --help` 查看命令，或 `jixiao 命令 --help` 查看某个命令的选项", [])
    ),
    entry!(
        "jixiao::cli::rules_root",
        en: ("the rules root `{path}` is not a folder", "give an existing folder to `--rules-root`, or leave it out to use the nearest folder named `rules`", []),
        zh: ("规则根目录 `{path}` 不是文件夹", "请为 `--rules-root` 指定已存在的文件夹，或省略它以使用最近的名为 `rules` 的文件夹", [])
    ),
    entry!(
        "jixiao::serve::bind",
        en: ("could not listen on {address}: {reason}", "choose another port with --port (0 takes any free one) or an address of this machine with --listen, or stop the program using this port", []),
        zh: ("无法在 {address} 上监听：{reason}", "请用 --port 换一个端口（0 表示任选空闲端口），或用 --listen 指定本机的地址，或停止占用该端口的程序", [])
    ),
    entry!(
        "jixiao::workspace::invalid",
        en: ("this workspace file does not read: {reason}", "a workspace file holds `rules = [\"rules\"]`, `data = [\"examples\"]` and `lang = \"zh\"`, each optional", ["here"]),
        zh: ("工作区文件无法读取：{reason}", "工作区文件可写 `rules = [\"rules\"]`、`data = [\"examples\"]` 和 `lang = \"zh\"`，均可省略", ["此处"])
    ),
    entry!(
        "jixiao::workspace::missing_folder",
        en: ("the folder `{path}` does not exist", "name a folder beside `jixiao.toml` (paths are relative to it), or remove it from the list", ["no such folder"]),
        zh: ("文件夹 `{path}` 不存在", "请写 `jixiao.toml` 所在位置下的文件夹（路径相对于它），或将其从列表中删去", ["无此文件夹"])
    ),
    entry!(
        "jixiao::workspace::no_rules",
        en: ("`{path}` holds no rules: no `jixiao.toml` and no folder named `rules`", "point it at the folder that holds `rules/` (or `jixiao.toml`), or write a `jixiao.toml` there naming the rules folders", []),
        zh: ("`{path}` 中没有规则：既无 `jixiao.toml`，也无名为 `rules` 的文件夹", "请指向包含 `rules/`（或 `jixiao.toml`）的文件夹，或在该处写一个 `jixiao.toml` 列出规则文件夹", [])
    ),
    entry!(
        "jixiao::cli::format_mismatch",
        en: ("`{path}` is named as {named} output, but the format is {format}", "drop `--format` to let the file name choose, or give the file the extension of the format; this command writes {available}", []),
        zh: ("`{path}` 的文件名表明是 {named} 格式，但输出格式是 {format}", "请去掉 `--format`，由文件名决定格式，或让文件扩展名与格式一致；此命令可输出 {available}", [])
    ),
    entry!(
        "jixiao::cli::unknown_indicator",
        en: ("no indicator `{id}` in project `{project}`", "", []),
        zh: ("项目 `{project}` 中没有三级指标 `{id}`", "", [])
    ),
    entry!(
        "jixiao::check::method_range",
        en: ("with actual = {actual}, method `{method}` gives `{id}` {score} points, outside 0 to {points}", "cap the method, e.g. `if actual >= target then points else …`, or use `max(…, 0)`", ["this target", "the method"]),
        zh: ("完成值为 {actual} 时，计分方法 `{method}` 给 `{id}` {score} 分，超出 0 到 {points} 分", "请为计分方法加上限，如 `if actual >= target then points else …`，或用 `max(…, 0)`", ["此目标值", "该计分方法"])
    ),
    entry!(
        "jixiao::check::method_direction",
        en: ("method `{method}` scores `{id}` the wrong way: actual {low} gives {low_score} points but {high} gives {high_score}", "a `>=` target needs a method that never gives less for more, a `<=` target one that never gives more; choose another method or direction", ["this direction", "the method"]),
        zh: ("计分方法 `{method}` 对 `{id}` 的计分方向相反：完成值 {low} 得 {low_score} 分，{high} 却得 {high_score} 分", "`>=` 目标值需要完成越多得分不减的方法，`<=` 目标值需要完成越多得分不增的方法；请更换计分方法或方向", ["此方向", "该计分方法"])
    ),
    entry!(
        "jixiao::check::target_zero",
        en: ("method `{method}` divides by the target of `{id}`, which is 0 (with actual = {actual})", "test `target == 0` in the method first, as `inverse` does", ["a target of 0", "the method"]),
        zh: ("计分方法 `{method}` 以 `{id}` 的目标值作除数，而目标值为 0（完成值为 {actual} 时）", "请先在计分方法中判断 `target == 0`，如 `inverse` 所做", ["目标值为 0", "该计分方法"])
    ),
    entry!(
        "jixiao::check::method_sampled",
        en: ("method `{method}` can change at {places} places for `{id}`: it was tried at {tried} of them", "a method this large is not tried everywhere, so a score that falls as the actual rises between two tries goes unseen; split it into smaller methods or fewer branches", ["this indicator", "the method"]),
        zh: ("计分方法 `{method}` 对 `{id}` 有 {places} 处可能变化：只试算了其中 {tried} 处", "计分方法过大，无法逐处试算，两处试算之间完成值升高而得分下降的情况可能被漏检；请拆分为较小的计分方法或减少分支", ["此指标", "该计分方法"])
    ),
    entry!(
        "jixiao::check::method_unproven",
        en: ("cannot prove that method `{method}` keeps `{id}` within 0 to {points} points", "no counterexample was found; simplify the method or cap it with `min`/`max` so the checker can prove it", ["this indicator", "the method"]),
        zh: ("无法证明计分方法 `{method}` 使 `{id}` 的得分保持在 0 到 {points} 分之间", "未找到反例；请简化计分方法或用 `min`/`max` 限定，以便检查器证明", ["此指标", "该计分方法"])
    ),
    entry!(
        "jixiao::import::value",
        en: ("{subject}: `{found}` was not read: {reason}", "correct the submission, or enter the value in the data file by hand", []),
        zh: ("{subject}：`{found}` 未读取：{reason}", "请更正报送文件，或在数据文件中手工填写该值", [])
    ),
    entry!(
        "jixiao::import::no_table",
        en: ("no 自评表 found: no 项目名称 cell, or no header row with 三级指标, 年度指标值 and 分值", "import reads tables by their header words; check that the sheet holds the template's headers", []),
        zh: ("没有找到自评表：没有“项目名称”单元格，或没有含“三级指标”“年度指标值”“分值”的表头行", "导入按表头文字识别表格；请检查工作表是否有模板的表头", [])
    ),
    entry!(
        "jixiao::import::no_project",
        en: ("no project name found (项目名称, or a title …项目绩效自评报告)", "add a 项目名称 line or cell; the file name is used meanwhile", []),
        zh: ("未找到项目名称（“项目名称”或标题“……项目绩效自评报告”）", "请补上“项目名称”；暂以文件名代替", [])
    ),
    entry!(
        "jixiao::import::unmatched",
        en: ("no approved {subject} matches `{found}`{year}", "the approved rules have: {known}", []),
        zh: ("核定规则中没有与 `{found}`{year} 相符的{subject}", "核定规则中有：{known}", [])
    ),
    entry!(
        "jixiao::import::ambiguous",
        en: ("{subject}: `{found}` matches more than one: {candidates}", "none was chosen; make the wording or value unique, or enter it by hand", []),
        zh: ("{subject}：`{found}` 对应多项：{candidates}", "未作选择；请使表述或数值唯一，或手工填写", [])
    ),
    entry!(
        "jixiao::import::not_submitted",
        en: ("the approved indicator {subject} (“{wording}”) is not in the submission", "the audit will ask for its actual; the submission left it out or worded it otherwise", []),
        zh: ("核定指标 {subject}（“{wording}”）不在报送材料中", "审核时会要求其实际完成值；报送材料遗漏了它或表述不同", [])
    ),
    entry!(
        "jixiao::import::direction",
        en: ("{subject}: the direction of `{found}`: {how}", "a target's direction comes from its symbol (≥ ≤ =) or a 指标性质 column; `--assume '>='` states it for targets printed without one", []),
        zh: ("{subject}：`{found}` 的方向：{how}", "目标方向取自符号（≥ ≤ =）或“指标性质”列；无符号的目标可用 `--assume '>='` 指定", [])
    ),
    entry!(
        "jixiao::import::level",
        en: ("{subject}: `{found}` is no level of the scheme", "the scheme's words for levels are {known}", []),
        zh: ("{subject}：`{found}` 不是计分方案中的等级", "方案中的等级用语有 {known}", [])
    ),
    entry!(
        "jixiao::import::unit",
        en: ("{subject}: unit {unit} of `{found}` is not declared in the scheme: written without a unit", "declare it in the scheme (`unit {unit}: count`) to have it checked", []),
        zh: ("{subject}：`{found}` 的单位 {unit} 未在计分方案中声明，按无单位写入", "在方案中声明（`unit {unit}: count`）即可检查单位", [])
    ),
    entry!(
        "jixiao::import::points_sum",
        en: ("{subject}: the indicators' printed points add up to {sum}, the section prints {points}", "written as printed and marked `submitted`: the checker warns and `audit` reports it", []),
        zh: ("{subject}：各三级指标所列分值合计 {sum} 分，一级指标所列 {points} 分", "按所列写入并标记为报送（submitted）：检查给出警告，审核列为问题", [])
    ),
    entry!(
        "jixiao::import::double",
        en: ("{count} numbers came out of the workbook as binary doubles: each is read as the shortest decimal that reads back to the same double", "a cell showing 89.974 is stored as 89.97399999999999…; the shortest decimal is what the cell was typed as", []),
        zh: ("工作簿中的 {count} 个数以二进制浮点存储：每个按可还原为同一浮点数的最短十进制数读取", "显示 89.974 的单元格存储为 89.97399999999999……；最短十进制数即录入的值", [])
    ),
    entry!(
        "jixiao::import::funds",
        en: ("{subject} is stated with different amounts: {found}", "none was chosen; enter the right amount in the data file's [funds]", []),
        zh: ("{subject} 出现了不同的金额：{found}", "未作选择；请在数据文件的 [funds] 中填写正确金额", [])
    ),
    entry!(
        "jixiao::import::figure",
        en: ("{subject} is derived from figures not read from the submission: {figures}", "`audit` scores its printed actual and says so; add the figures to the data file to have it recomputed", []),
        zh: ("{subject} 由未能从报送材料读出的基础数据计算：{figures}", "审核时按所列实际完成值计分并予以说明；在数据文件中补上基础数据即可重新计算", [])
    ),
    entry!(
        "jixiao::import::read_as",
        en: ("{subject}: `{found}` read as: {how}", "", []),
        zh: ("{subject}：`{found}` 读取方式：{how}", "", [])
    ),
    entry!(
        "jixiao::import::format",
        en: ("cannot read `{path}` as a workbook or document: {reason}", "import reads .xlsx, .xls, .ods, .docx, .txt and .md files", []),
        zh: ("无法将 `{path}` 读作工作簿或文档：{reason}", "导入支持 .xlsx、.xls、.ods、.docx、.txt 和 .md 文件", [])
    ),
    entry!(
        "jixiao::import::hidden",
        en: ("{what} is hidden in the workbook: {how}", "a hidden row still belongs to its table and is read; a hidden sheet is not what a reviewer sees and is not read — unhide it to check what it says", []),
        zh: ("{what}在工作簿中被隐藏：{how}", "隐藏行仍属于表格，会被读取；隐藏的工作表不是审核人所见的内容，不读取——请取消隐藏后核对", [])
    ),
    entry!(
        "jixiao::eval::printed_actual",
        en: ("{id} = {formula}: these figures are not in the data, so the printed actual {actual} was scored", "the submission states the result, not what it was computed from; ask the unit for the figures, or add them under [figures] to have it recomputed", ["printed here", "derived by this rule"]),
        zh: ("{id} = {formula}：这些基础数据不在数据中，按所列实际完成值 {actual} 计分", "报送材料只给出结果而未给出计算依据；请向单位索取基础数据，或在 [figures] 中补上以重新计算", ["所列数值", "由此规则计算"])
    ),
    entry!(
        "jixiao::audit::points_sum",
        en: ("the indicators of {section} add up to {sum} points; the section has {points}", "the submitted table contradicts itself: ask the unit which points were approved", []),
        zh: ("一级指标 {section} 下各三级指标分值合计 {sum} 分，但该一级指标为 {points} 分", "报送的表格自相矛盾：请向单位核实核定的分值", [])
    ),
    entry!(
        "jixiao::cli::no_such_project",
        en: ("{which}", "name one with --project (and --year): the rules have {known}", []),
        zh: ("{which}", "请用 --project（及 --year）指定：规则中的项目有 {known}", [])
    ),
    entry!(
        "jixiao::import::too_large",
        en: ("`{path}` is larger than a submission can be (over {limit} MiB, or a part that unpacks to more)", "a self-evaluation report or 自评表 is far smaller; check that this is the file meant", []),
        zh: ("`{path}` 超出报送文件应有的大小（超过 {limit} MiB，或有部分解压后超过）", "自评报告或自评表远小于此；请确认文件是否正确", [])
    ),
    entry!(
        "jixiao::import::beyond",
        en: ("a value at {cell} lies past {limit}, where no 自评表 reaches: cells past it are not read", "delete stray values far below or right of the table (Ctrl+End shows the last used cell)", []),
        zh: ("{cell} 处有数值，超出 {limit}，自评表不会延伸至此：其后的单元格不读取", "请删除表格下方或右方远处的零散数值（Ctrl+End 可定位最后使用的单元格）", [])
    ),
    entry!(
        "jixiao::import::duplicate",
        en: ("{subject} is submitted more than once in this import: {found}", "each is written, to its own file; keep the one meant and delete the others before the audit", []),
        zh: ("{subject} 在本次导入中报送了不止一次：{found}", "各自写入不同文件；审核前请保留正确的一份并删除其余", [])
    ),
    entry!(
        "jixiao::import::percent",
        en: ("{subject}: `{found}` has no %, and the indicator is a percent: 0.97 could mean 97% or 0.97%", "write it as a percent in the submission (97%), or enter it by hand", []),
        zh: ("{subject}：`{found}` 没有 %，而该指标是百分数：0.97 可能是 97% 也可能是 0.97%", "请在报送材料中写成百分数（97%），或手工填写", [])
    ),
    entry!(
        "jixiao::import::exists",
        en: ("`{path}` exists and was not written by `jixiao import`: not replaced", "choose an empty --out folder; approved rules and data are never overwritten by an import", []),
        zh: ("`{path}` 已存在且不是 `jixiao import` 写入的：未覆盖", "请选择空的 --out 文件夹；导入不会覆盖核定的规则和数据", [])
    ),
    entry!(
        "jixiao::check::test_project",
        en: ("test `{test}` is of no single project", "name it in the test: `project NAME` (and `year N`); this file sees {known}", ["this test"]),
        zh: ("测试 `{test}` 没有唯一对应的项目", "请在测试中写明 `项目 名称`（及 `年度 N`）；此文件可见的项目有 {known}", ["此测试"])
    ),
    entry!(
        "jixiao::check::test_data",
        en: ("the test's data file `{path}` does not exist", "the path is relative to the file the test is in", ["this file"]),
        zh: ("测试的数据文件 `{path}` 不存在", "路径相对于测试所在的文件", ["此文件"])
    ),
    entry!(
        "jixiao::check::test_value",
        en: ("`{what}` here takes {expected}", "", ["here"]),
        zh: ("`{what}` 此处应为{expected}", "", ["此处"])
    ),
    entry!(
        "jixiao::check::test_empty",
        en: ("test `{name}` states nothing it expects", "add what the rules must give: `score ID should be …`, `total should be …`", ["this test"]),
        zh: ("测试 `{name}` 没有写明期望的结果", "请写明规则应得出的结果：`得分 ID 应为 …`、`总分 应为 …`", ["此测试"])
    ),
    entry!(
        "jixiao::data::golden",
        en: ("`{path}` is under a `golden/` folder: a golden evaluation, not a data file", "golden files are what `jixiao test --data` compares evaluations with; give the data file beside the golden/ folder", []),
        zh: ("`{path}` 位于 `golden/` 文件夹中：是基准评价结果，不是数据文件", "基准文件供 `jixiao test --data` 比对评价结果；请给出 golden/ 旁边的数据文件", [])
    ),
];
