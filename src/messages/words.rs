//! Every word a user reads outside a diagnostic's own message: headings of
//! the 自评表, labels of `explain`, `audit` and `diff`, their messages, and
//! the batch summary. Each word is a variant of [`Word`] with its English and
//! Chinese text side by side, so a word cannot exist in one language only and
//! a misspelt key does not compile. Templates name their `{placeholders}`;
//! [`Word::fill`] fills them in one pass, user text verbatim.

use super::Lang;

macro_rules! words {
    ($($(#[$doc:meta])* $name:ident => $en:literal, $zh:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Word {
            $($(#[$doc])* $name,)*
        }

        impl Word {
            /// Every word, for the test that each has text in both languages.
            pub const ALL: &'static [Word] = &[$(Word::$name),*];

            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Word::$name, Lang::En) => $en, (Word::$name, Lang::Zh) => $zh,)*
                }
            }
        }
    };
}

words! {
    // The 自评表 and the terminal table.
    FormTitle => "Project expenditure performance self-evaluation", "项目支出绩效自评表";
    Title => "performance self-evaluation", "绩效自评表";
    Organization => "organization", "项目单位";
    Scheme => "scheme", "计分方案";
    Funds => "funds (万元)", "项目资金（万元）";
    /// `jixiao test`: a failure, a missing golden file, the count, the drift table's heads.
    TestFailure => "{subject} ({at}): expected {expected}, computed {computed}", "{subject}（{at}）：应为 {expected}，实为 {computed}";
    TestNoGolden => "no golden file {golden} (write it with --update)", "没有基准文件 {golden}（用 --update 生成）";
    TestCount => "{passed} passed, {failed} failed", "{passed} 项通过，{failed} 项未通过";
    TestCountUpdated =>
        "{passed} passed, {failed} failed, {updated} golden files written",
        "{passed} 项通过，{failed} 项未通过，{updated} 个基准文件已更新";
    DriftPlace => "indicator", "指标";
    DriftField => "field", "字段";
    DriftExpected => "expected", "基准";
    DriftNow => "now", "现值";
    /// `jixiao test --coverage`.
    CoverageTitle => "coverage", "覆盖情况";
    CoverageNamed => "indicators named by an expectation  {named} of {total}", "期望涉及的三级指标  {named} / {total}";
    CoverageUnnamed => "not named:", "未涉及：";
    CoverageBranches => "method branches (both arms taken)  {covered} of {total}", "计分方法的分支（两支均经过）  {covered} / {total}";
    CoverageBranch =>
        "{mark} {method}  if {condition} (line {line})  then {then}  else {else}",
        "{mark} {method}  如果 {condition}（第 {line} 行）  则 {then}  否则 {else}";
    CoverageLevels => "levels", "档次";
    CoverageGrades => "grade bands", "等级";
    /// The mapping report's kinds of note.
    NoteAssumed => "assumed", "推定";
    NoteRefused => "refused", "未读取";
    NoteAmbiguous => "ambiguous", "有歧义";
    NoteInconsistent => "inconsistent", "自相矛盾";
    /// The mapping report's counts, for one submission and for all.
    ImportCounts =>
        "{placed} placed, {assumed} assumed, {refused} refused, {ambiguous} ambiguous, {inconsistent} inconsistent",
        "读取 {placed} 项，推定 {assumed} 项，未读取 {refused} 项，有歧义 {ambiguous} 项，自相矛盾 {inconsistent} 项";
    ImportTotals => "{submissions} submissions: {counts}", "共 {submissions} 份报送：{counts}";
    /// A progress bar's words over files (indicatif fills `{pos}` and `{len}`).
    FilesProgress => "{pos}/{len} files", "{pos}/{len} 个文件";
    /// `new data` without one project to write for.
    NoSuchProject => "the rules have no single project `{project}`", "规则中没有唯一的项目 `{project}`";
    SeveralProjects => "the rules hold several projects", "规则中有多个项目";
    /// The row naming the project, as the official form has it.
    ProjectName => "project name", "项目名称";
    /// The year line under the form's title.
    YearLine => "(year {year})", "（{year}年度）";
    /// The block of raw figures derived actuals are computed from.
    Figures => "figures", "基础数据";
    Budget => "budget execution", "预算执行";
    Execution => "execution rate", "执行率";
    Goal => "overall goal", "总体目标";
    Result => "achieved", "完成情况";
    Project => "project", "项目";
    Year => "year", "年度";
    Section => "section", "一级指标";
    Group => "group", "二级指标";
    Indicator => "indicator", "三级指标";
    Target => "target", "目标值";
    AnnualTarget => "annual target", "年度指标值";
    Actual => "actual", "实际完成值";
    Points => "points", "分值";
    Score => "score", "得分";
    Deviation => "deviation", "偏差率";
    Reason => "reason", "偏差原因";
    Reasons => "reasons for deviations", "偏差原因";
    Subtotal => "subtotal", "小计";
    SubtotalApart => "subtotal (apart)", "小计（单列）";
    TotalWithApart => "total with the sections apart", "含单列指标的总分";
    NotInTotal => "apart from the total", "单列，不计入总分";
    Rate => "rate", "得分率";
    Total => "total", "总分";
    Grade => "grade", "等级";
    Ledger => "Point-loss ledger", "失分明细";
    PointsLost => "points lost", "失分";
    FullPointsAt => "full points at", "满分所需完成值";
    NoFullPoints => "no actual gives full points", "无完成值可得满分";
    /// `{full}`: the actual that gives full points; `{from}`: where the printed score is already full.
    PrintedFullFrom => "{full} (printed as full from {from})", "{full}（{from} 起得分显示为满分）";
    Summary => "Summary", "汇总";
    RatesChart => "Score rate by section", "各一级指标得分率";
    LossesChart => "Points lost by indicator", "各三级指标失分";

    // `explain`.
    Method => "method", "计分方法";
    DefaultFor => "the default for", "默认用于";
    Deadlines => "deadlines", "完成时限";
    ChecklistScoring => "points less the deductions for missing items", "分值减去缺项扣分";
    ParamDeadline => "deadline", "完成时限";
    ParamDone => "done", "完成日期";
    ParamMet => "met", "已具备";
    ParamMissing => "missing", "缺少";
    Named => "named by the indicator", "指标指定";
    LevelScoring => "points × the level's fraction", "分值 × 档次比例";
    Values => "values", "取值";
    Rule => "rule", "规则";
    Condition => "condition", "条件";
    Holds => "holds", "成立";
    Fails => "does not hold", "不成立";
    DerivedActual => "actual", "完成值";
    /// The method's own parameter names, in the staff's language.
    ParamActual => "actual", "完成值";
    ParamTarget => "target", "目标值";
    ParamPoints => "points", "分值";

    // Severities of audit findings.
    Error => "error", "错误";
    Warning => "warning", "警告";
    Note => "note", "提示";

    // What an audit finding or a diff change is about, beyond the words above.
    Expect => "expect", "核对";
    Evidence => "evidence", "佐证";
    Review => "review", "复核";
    Reported => "reported", "报告数值";
    Direction => "direction", "方向";
    Unit => "unit", "单位";
    ActualFormula => "actual_formula", "完成值公式";
    Name => "name", "名称";
    Rounding => "rounding", "舍入";
    Grades => "grades", "等级";
    Levels => "levels", "档次";
    Methods => "methods", "计分方法";
    SchemeScope => "scheme", "方案";
    CountedInTotal => "counted in the total", "是否计入总分";
    MetWords => "words for a met target", "视为达标的用语";
    Scales => "unit scales", "单位换算";
    Reviews => "review rules", "复核规则";
    DeadlineNotFullOnTime => "does not give full points on time (0 days late)", "按时完成（逾期 0 天）时不给满分";
    DeadlineNeverLate => "gives full points however late: its `actual` is the days after the deadline", "无论逾期多久都给满分：其 `actual` 是逾期天数";
    ChecklistItemName => "an item's id or wording (an empty text names no item)", "清单项的编号或表述（空文字不指任何项）";
    ChecklistAmbiguous => "names an item by another item's id or wording, or gives an item no wording: data could not tell them apart", "有清单项的编号或表述与另一项重复，或表述为空：数据无法区分";
    ChecklistEmpty => "has no items", "没有任何检查项";
    ChecklistDeduct => "must deduct more than 0 points for each missing item", "每缺一项的扣分须大于 0";
    ChecklistMethod => "scores itself (points less the deductions): it takes no method", "自行计分（分值减去扣分），不能使用计分方法";
    GroupPoints => "group points", "二级指标分值";
    Apart => "apart", "单列";
    Counted => "counted", "计入总分";

    // Kinds of diff changes.
    Added => "added", "新增";
    Removed => "removed", "删除";
    Changed => "changed", "修改";
    Renamed => "renamed", "改名";
    Moved => "moved", "移动";

    // Audit messages.
    NothingReported =>
        "nothing to compare: the data file has no `[reported]` figures (what the submitted report printed)",
        "没有可比对的内容：数据文件中没有 `[reported]`（报告所列数值）";
    RulesGiveScore => "the rules give {formula}", "按规则计算：{formula}";
    OtherTarget => "the report prints another target than the rules", "报告所印目标值与规则不同";
    OtherActual => "the report prints another actual than the data give", "报告所印实际完成值与数据不同";
    NoDeviation => "the indicator has no deviation rate", "该指标没有偏差率";
    PointsBreakSection =>
        "reported points {points} make {section} add up to {sum} of {of}",
        "报告分值 {points} 使 {section} 合计 {sum} 分，而该一级指标为 {of} 分";
    ScoreFollowsPoints =>
        "the reported score {score} = {formula} follows from {points} points",
        "报告得分 {score} = {formula}，与 {points} 分相符";
    RulesGivePoints => "the rules give {points} points", "规则设定 {points} 分";
    /// Joins the causes of one finding.
    CauseSeparator => "; ", "；";
    SectionPoints => "the rules give the section other points", "规则设定的一级指标分值不同";
    /// A table as submitted whose indicators' points do not add up to its section's.
    IndicatorPointsSum => "its indicators' points add up to {sum} of the {points} the section has", "其三级指标分值合计 {sum} 分，而一级指标为 {points} 分";
    GroupPointsDiffer => "the rules give the group other points", "规则设定的二级指标分值不同";
    IndicatorSum => "the sum of the indicators' scores differs", "各三级指标得分之和不同";
    SectionSum => "the sum of the sections' scores differs", "各一级指标得分之和不同";
    OtherGrade => "a total of {total} earns another grade", "总分 {total} 对应的等级不同";
    TotalWithApartNote =>
        "the report's total includes {sections}, which the rules count apart: {with} with it, {total} without",
        "报告总分含单列的 {sections}：含单列为 {with}，按规则不计入为 {total}";
    OtherBasis =>
        "the rate is {now} on the rules' basis, but the rules' own check `{expect}` holds: on a basis of {basis} = {value} it would be {rate}",
        "按规则口径执行率为 {now}，但规则自身的核对 `{expect}` 成立：若以 {basis} = {value} 为口径，执行率为 {rate}";
    SharedEvidence =>
        "the same evidence {figure} = {value} is claimed by {places}",
        "同一佐证 {figure} = {value} 被多个项目使用：{places}";
    /// Joins the places that share one piece of evidence.
    PlaceSeparator => " and ", "、";

    // The diff's tables.
    NoChanges => "no changes", "无变化";
    RenameSuggestion => "  (suggestion: declare `{name}` if this is a rename)", "  （建议：若为改名，请声明 `{name}`）";
    Impact => "impact on the data", "对数据得分的影响";
    Partial => "partial: not scorable under one version", "不完整：以下指标在某一版本下无法计分";
    SetAsideOld => "note: the data's `{id}` is not scored by the old version; set aside", "说明：数据中的 `{id}` 在旧版本中不计分，已搁置";
    SetAsideNew => "note: the data's `{id}` is not scored by the new version; set aside", "说明：数据中的 `{id}` 在新版本中不计分，已搁置";
    ColumnChange => "change", "变化";
    ColumnScope => "scope", "范围";
    ColumnChanged => "subject", "对象";
    ColumnDiffField => "field", "字段";
    ColumnOld => "old", "原值";
    ColumnNew => "new", "新值";

    // The audit's tables.
    AuditTitle => "audit", "审核";
    AuditAgrees => "the report agrees with the rules and data", "报告与规则和数据一致";
    ReportedValue => "reported", "报告";
    ComputedValue => "computed", "计算";
    OtherBasisValue => ", other basis {value}", ", 另一口径 {value}";
    AcrossProjects => "across projects", "跨项目";
    AcrossProjectsHeading => "Across projects", "跨项目";
    /// `{project} · {year}: 1 error, 2 warnings, 0 notes`; the counts are the words below.
    AuditSummary => "{project} · {year}: {errors}, {warnings}, {notes}", "{project} · {year}：{errors}，{warnings}，{notes}";
    OneError => "{n} error", "错误 {n} 项";
    Errors => "{n} errors", "错误 {n} 项";
    OneWarning => "{n} warning", "警告 {n} 项";
    Warnings => "{n} warnings", "警告 {n} 项";
    OneNote => "{n} note", "提示 {n} 项";
    Notes => "{n} notes", "提示 {n} 项";
    ColumnSeverity => "severity", "级别";
    ColumnSubject => "indicator", "指标";
    ColumnField => "field", "项目";
    ColumnReported => "reported", "报告值";
    ColumnComputed => "computed", "计算值";
    ColumnCause => "cause", "原因编号";
    ColumnExplanation => "explanation", "说明";
    ColumnProject => "project", "项目名称";
    ColumnYear => "year", "年度";
    ColumnOrganization => "unit", "实施单位";
    ColumnReportedTotal => "reported total", "报告总分";
    ColumnComputedTotal => "computed total", "核算总分";
    ColumnDifference => "difference", "差额";
    ColumnErrors => "errors", "错误";
    ColumnWarnings => "warnings", "警告";
    ColumnNotes => "notes", "提示";
    AuditSummarySheet => "summary", "汇总";
    AuditFindingsSheet => "findings", "审核发现";

    // What the parser expected, by grammar rule (`syntax::error::describe`).
    ParseEoi => "the end of the file", "文件结尾";
    ParseWhitespace => "a space or comment", "空格或注释";
    ParseFile => "a rule file", "规则文件";
    ParseSep => "`;`", "`;`";
    ParseLbrace => "`{`", "`{`";
    ParseRbrace => "`}`", "`}`";
    ParseUseDecl => "`use \"file.jx\"`", "`use \"文件.jx\"`（引用）";
    ParseScheme => "`scheme NAME { … }`", "`scheme 名称 { … }`（方案）";
    ParseSchemeItem => "a scheme line (`total`, `unit`, `round`, `method`, `default`, `level`, `grade`)", "方案中的一行（`total`、`unit`、`round`、`method`、`default`、`level`、`grade`）";
    ParseTotalDecl => "`total 100`", "`total 100`（总分）";
    ParseUnitDecl => "`unit 次 家: count`", "`unit 次 家: count`（单位类别）";
    ParseUnitKind => "`count` or `amount`", "`count`（计数）或 `amount`（金额）";
    ParseRoundDecl => "`round score half_up 0.01`", "`round score half_up 0.01`（舍入）";
    ParseRoundWhat => "`score`, `rate` or `deviation`", "`score`（得分）、`rate`（得分率）或 `deviation`（偏差率）";
    ParseRoundMode => "`half_up`", "`half_up`（四舍五入）";
    ParseMethodDecl => "`method NAME`", "`method 名称`（计分方法）";
    ParseParams => "parameters such as `(step, deduction)`", "参数，如 `(step, deduction)`";
    ParseDefaultDecl => "`default >= METHOD`", "`default >= 方法名`（默认）";
    ParseLevelDecl => "`level NAME 100%`", "`level 名称 100%`（档次）";
    ParseLevelRange => "a range such as `[60%, 80%)`", "区间，如 `[60%, 80%)`";
    ParseRangeOpen => "`[` or `(`", "`[` 或 `(`";
    ParseRangeClose => "`]` or `)`", "`]` 或 `)`";
    ParseGradeDecl => "`grade NAME >= 90`", "`grade 名称 >= 90`（等级）";
    ParseGradeBound => "a lower bound such as `>= 90`", "下限，如 `>= 90`";
    ParseKwOtherwise => "`otherwise`", "`otherwise`（其他）";
    ParseProject => "`project NAME { … }`", "`project 名称 { … }`（项目）";
    ParseProjectItem => "a project line (`year`, `organization`, `goal`, `figure`, `budget`, `expect`, `section`)", "项目中的一行（`year`、`organization`、`goal`、`figure`、`budget`、`expect`、`section`）";
    ParseYearDecl => "`year 2018`", "`year 2018`（年度）";
    ParseOrganizationDecl => "`organization \"…\"`", "`organization \"…\"`（单位）";
    ParseGoalDecl => "`goal \"…\"`", "`goal \"…\"`（总体目标）";
    ParseSubmittedDecl => "`submitted \"…\"`", "`submitted \"…\"`（报送）";
    ParseTestDecl => "`test \"…\" { … }`", "`test \"…\" { … }`（测试）";
    ParseTestItem => "a test line (`actual X = …`, `score X should be …`, `data \"…\"`)", "测试语句（`完成值 X = …`、`得分 X 应为 …`、`数据文件 \"…\"`）";
    ParseTestValue => "a value (`2072`, `95%`, `\"…\"`, a level)", "数值（`2072`、`95%`、`\"…\"`、档次）";
    ParseTestSubject => "what a test states (`score X`, `total`, `grade` …)", "测试的对象（`得分 X`、`总分`、`等级` ……）";
    ParseShould => "`should be` (应为)", "`should be`（应为）";
    ParseFigureDecl => "`figure NAME UNIT`", "`figure 名称 单位`（基础数据）";
    ParseBudgetDecl => "`budget INDICATOR`", "`budget 指标`（预算指标）";
    ParseExpectDecl => "`expect A == B`", "`expect A == B`（核对）";
    ParseSection => "`section NAME points N { … }`", "`section 名称 points 分值 { … }`（一级指标）";
    ParseGroup => "`group NAME { … }`", "`group 名称 { … }`（二级指标）";
    ParseIndicator => "`indicator ID \"wording\" { … }`", "`indicator 编号 \"名称\" { … }`（三级指标）";
    ParseIndicatorItem => "an indicator line (`target`, `points`, `method`, `actual`, `renamed from`)", "指标中的一行（`target`、`points`、`method`、`actual`、`renamed from`）";
    ParseTargetDecl => "`target >= 3000 台`", "`target >= 3000 台`（目标值）";
    ParseNumericTarget => "a direction and a value such as `>= 3000 台`", "方向和数值，如 `>= 3000 台`";
    ParseLevelTarget => "a level such as `达成`", "档次，如 `达成`";
    ParsePointsDecl => "`points 4`", "`points 4`（分值）";
    ParseArgs => "arguments such as `(1, 0.5)`", "参数，如 `(1, 0.5)`";
    ParseActualDecl => "`actual = EXPRESSION`", "`actual = 表达式`（完成值）";
    ParseRenamedDecl => "`renamed from OLD_ID`", "`renamed from 原编号`（原名）";
    ParseExpr => "a value such as `actual`, `3000`, `97%` or a name", "数值，如 `actual`、`3000`、`97%` 或名称";
    ParseIfExpr => "`if … then … else …`", "`if … then … else …`（如果…则…否则…）";
    ParseKwThen => "`then`", "`then`（则）";
    ParseKwElse => "`else`", "`else`（否则）";
    ParseCompareOp => "a comparison (`>=`, `<=`, `==`, `>`, `<`, `!=`)", "比较（`>=`、`<=`、`==`、`>`、`<`、`!=`）";
    ParseAddOp => "`+` or `-`", "`+` 或 `-`";
    ParseMulOp => "`*` or `/`", "`*` 或 `/`";
    ParseNegate => "`-`", "`-`";
    ParseCall => "a function (`min`, `max`, `abs`, `clamp`)", "函数（`min`、`max`、`abs`、`clamp`）";
    ParseVariable => "`actual`, `target` or `points`", "`actual`、`target` 或 `points`";
    ParseLiteral => "a number such as `3000` or `97%`", "数值，如 `3000` 或 `97%`";
    ParseDirection => "a direction (`>=`, `<=` or `==`)", "方向（`>=`、`<=` 或 `==`）";
    ParseAssign => "`=`", "`=`";
    ParseLparen => "`(`", "`(`";
    ParseRparen => "`)`", "`)`";
    ParseComma => "`,`", "`,`";
    ParseColon => "`:`", "`:`";
    ParsePercentSign => "`%`", "`%`";
    ParseQuantity => "a number such as `3000`, `3000 台` or `97%`", "数值，如 `3000`、`3000 台` 或 `97%`";
    ParseUnitName => "a unit such as `台` or `%`", "单位，如 `台` 或 `%`";
    ParseString => "a string in double quotes", "双引号中的文字";
    ParseDigit => "a digit", "数字";
    ParseName => "a name", "名称";
    ParseKeyword => "a keyword", "关键字";
    ParseApart => "`apart` (counted apart from the total)", "`单列`（不计入总分）";
    ParseScale => "`scale 1 万元 = 10000 元`", "`换算 1 万元 = 10000 元`";
    ParsePerUnit => "a unit per unit such as `万元/人次`", "复合单位，如 `万元/人次`";
    ParseReview => "`review reason` (or `review actual > 100%`, `review deviation > 50%`, `review budget < 90%`, `review actual >= 3 × target`, `review evidence`)",
        "`复核 偏差原因`（或 `复核 完成值 > 100%`、`复核 偏差率 > 50%`、`复核 预算指标 < 90%`、`复核 完成值 >= 3 × 目标值`、`复核 佐证`）";
    ParseDeadline => "a deadline such as `by 2019-12-31`", "完成时限，如 `不晚于 2019年12月31日`";
    ParseDate => "a date such as `2019-12-31`, `2019-12` or `2019年12月31日`", "日期，如 `2019-12-31`、`2019-12` 或 `2019年12月31日`";
    ParseChecklist => "a checklist such as `checklist deduct 0.5 { 制度 \"制定管理办法\" }`", "检查清单，如 `检查清单 每缺一项扣 0.5 { 制度 \"制定管理办法\" }`";
    ParseChecklistItem => "a checklist item: an id and its wording", "清单项：编号及其表述";
    ParseMet => "`met \"完成\"`", "`视为达标 \"完成\"`";
    /// Joins the last two things the parser expected.
    Or => " or ", " 或 ";
    /// Joins the other things the parser expected.
    ListComma => ", ", "、";
    LineBreakOrSpace => "a line break or space", "换行或空格";

    // Arguments of diagnostics.
    DividesByZero => "it divides by zero", "除数为零";
    ValueTooLarge => "a value is too large", "数值过大";
    LooksLikeEncoding => "it looks like {name}", "看起来是 {name} 编码";
    EncodingUnknown => "its encoding is unknown", "编码未知";
    FileEmpty => "the file is empty", "文件为空";
    NotJsonObject => "not a JSON object", "不是 JSON 对象";
    GivenTwice => "`{key}` is given twice", "`{key}` 出现了两次";
    FieldNotUtf8 => "field {field} is not valid UTF-8 text", "第 {field} 个字段不是有效的 UTF-8 文本";
    FieldAfterQuote => "field {field} has text after its closing quote (a stray `\"`?): quote the whole field, or none of it", "第 {field} 个字段的右引号后还有内容（多了一个 `\"`？）：请给整个字段加引号，或都不加";
    RecordUnreadable =>
        "a quote is never closed, or the record is longer than {limit} bytes",
        "引号没有闭合，或记录超过 {limit} 字节";
    PlainNumber => "a plain number", "纯数值";
    PercentOrRatio => "a percent or ratio", "百分数或比率";
    ReportedNumber => "a number such as `36.64`", "数值，如 `36.64`";
    ReportedPercent => "a percent such as `\"91.6%\"`", "百分数，如 `\"91.6%\"`";
    ReportedAny => "a number, a percent or the report's words", "数值、百分数或报告原文";
    Text => "text", "文字";
    ShapeTable => "a table", "表";
    ShapeProjectData => "a table of project data", "项目数据表";
    ShapeProjectName => "the project's name as a string", "字符串形式的项目名称";
    ShapeYear => "a year such as `2018`", "年度，如 `2018`";
    ShapeDate => "a date such as `2019-12-20` or `未完成`", "日期（如 `2019-12-20`）或 `未完成`";
    ShapeItems => "the items met, as a list (`[\"制度\", \"台账\"]`) or a text (`\"制度、台账\"`)", "已具备的清单项：列表（`[\"制度\", \"台账\"]`）或文字（`\"制度、台账\"`）";
    TypeTable => "table", "表";
    TypeArray => "array", "数组";
    TypeNumber => "number", "数值";
    TypeString => "string", "字符串";
    TypeBoolean => "boolean", "布尔值";
    TypeDate => "date", "日期";
    TypeNull => "null", "空值";

    // Why a file could not be read or written.
    IoNotFound => "no such file or folder", "文件或文件夹不存在";
    IoPermissionDenied => "permission denied", "没有权限";
    IoIsADirectory => "it is a folder", "这是一个文件夹";
    IoInvalidData => "it is not UTF-8 text", "不是 UTF-8 文本";
    IoAlreadyExists => "it already exists", "已存在";
    IoStorageFull => "the disk is full", "磁盘已满";
    IoBrokenPipe => "the reading program closed the pipe", "读取管道的程序已关闭";
    IoReadOnly => "the file system is read-only", "文件系统为只读";
    IoAddrInUse => "another program is using the port", "另一个程序正在使用该端口";
    IoAddrNotAvailable => "the address is not one of this machine's", "该地址不属于本机";
    IoNotADirectory => "a part of the path is not a folder", "路径中有一部分不是文件夹";
    IoTooLong => "it gave more than the {limit} MiB a rule or data file may hold, and was read no further", "它给出的内容超过规则或数据文件的上限 {limit} MiB，未再读下去";
    IoTooLarge => "it holds {length} bytes, more than the {limit} MiB a rule or data file may hold", "它有 {length} 字节，超过规则或数据文件的上限 {limit} MiB";
    IoNotAFile => "it is not a regular file (a pipe, a socket or a device): a rule file must be a file", "它不是普通文件（而是管道、套接字或设备）：规则文件必须是文件";
    FixReplace => "Change to {replacement}", "改为 {replacement}";
    ScoredByLevel => "scored as points × the level's fraction", "按分值 × 档次比例计分";
    HoverScored => "{file}: actual {actual}, score {score} of {points} points, {loss} lost", "{file}：完成值 {actual}，得分 {score}（分值 {points}），失分 {loss}";

    // Nouns of the rule language, in diagnostics.
    NounIndicator => "indicator", "三级指标";
    NounSection => "section", "一级指标";
    NounGroup => "group", "二级指标";
    NounTest => "test", "测试";
    NounFigure => "figure", "基础数据";
    NounFigureOrIndicator => "figure or indicator", "基础数据或指标";
    NounMethod => "method", "计分方法";
    NounParameter => "parameter", "参数";
    NounUnit => "unit", "单位";
    NounLevel => "level", "档次";
    NounGrade => "grade", "等级";
    NounDefault => "default", "默认方法";
    NounRound => "round", "舍入";
    NounReview => "review rule", "复核规则";
    NounChecklistItem => "checklist item", "检查项";
    NounTotal => "total", "总分";
    NounName => "name", "名称";
    NounYear => "year", "年度";
    NounOrganization => "organization", "单位";
    NounGoal => "goal", "总体目标";
    NounBudget => "budget", "预算指标";
    NounTarget => "target", "目标值";
    NounPoints => "points", "分值";
    NounActual => "actual", "完成值";

    // Diagnostics and the batch.
    /// `jixiao serve` at start.
    ServeOpen => "jixiao serve: open this address in a browser (Ctrl-C stops the server):", "jixiao serve：请在浏览器中打开以下网址（按 Ctrl-C 停止服务）：";
    ServeWorkspace => "rules: {rules}; data: {data}", "规则：{rules}；数据：{data}";
    ServeBeyondLoopback => "listening on {address}: anyone who can reach it and has the address above (with its token) can read and change the rules", "正在 {address} 上监听：能访问该地址并持有上面网址（含令牌）的人都能查看和修改规则";
    /// Why `jixiao.toml` does not read.
    WorkspaceKey => "it knows the keys `rules`, `data` and `lang`", "只能有 `rules`、`data` 和 `lang` 三个键";
    WorkspaceLang => "`lang` is \"zh\" or \"en\"", "`lang` 只能是 \"zh\" 或 \"en\"";
    WorkspaceOutside => "a folder lies inside the workspace, below the folder of `jixiao.toml`", "文件夹须在工作区内，即 `jixiao.toml` 所在文件夹之下";
    WorkspaceFolders => "a folder is a string, several are an array of strings", "文件夹写作字符串，多个文件夹写作字符串数组";
    DidYouMean => "did you mean `{suggestion}`?", "是否想写 `{suggestion}`？";
    AtRecordColumn => "record {row}, column `{column}`: ", "第 {row} 条记录，`{column}` 列：";
    AtRecord => "record {row}: ", "第 {row} 条记录：";
    BatchSummary =>
        "{records} records, {scored} scored, {refused} refused, {warnings} warnings",
        "共 {records} 条记录，计分 {scored} 条，拒绝 {refused} 条，警告 {warnings} 条";
}

impl Word {
    /// The word's template with its placeholders filled, in one pass.
    pub fn fill(self, lang: Lang, args: &[(&str, &str)]) -> String {
        super::fill_with(self.text(lang), |key| args.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
    }
}

/// The names inside `{…}` of a template, in order.
#[cfg(test)]
pub(crate) fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names.sort_unstable();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_has_text_in_both_languages_with_the_same_placeholders() {
        for word in Word::ALL {
            let (en, zh) = (word.text(Lang::En), word.text(Lang::Zh));
            assert!(!en.trim().is_empty() && !zh.trim().is_empty(), "{word:?}");
            assert_eq!(placeholders(en), placeholders(zh), "{word:?}");
            // Only symbols (`;`, `{`) read the same in both languages.
            let symbols = !en.chars().any(char::is_alphabetic);
            assert!(!zh.is_ascii() || symbols && zh == en, "{word:?} has no Chinese: {zh}");
        }
    }

    #[test]
    fn filling_copies_user_text_verbatim() {
        let text = Word::RulesGiveScore.fill(Lang::En, &[("formula", "{formula} = 3")]);
        assert_eq!(text, "the rules give {formula} = 3");
    }
}
