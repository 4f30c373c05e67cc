<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>Dashboard</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="91" />
        <source>年度を選ぶと入力状況を表示します</source>
        <translation>Choose a fiscal year to see the progress of entry</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="97" />
        <source>課別の入力状況</source>
        <translation>Entry progress by department</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="99" />
        <source>政策別の入力状況</source>
        <translation>Entry progress by policy</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="176" />
        <source>{0}の入力状況　全体 {1}/{2}</source>
        <translation>Entry progress for {0}  overall {1}/{2}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="189" />
        <source>対象の指標がありません</source>
        <translation>No indicators to show</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="198" />
        <source>{0} {1}/{2}</source>
        <translation>{0} {1}/{2}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="202" />
        <source>{0}: {1} 件中 {2} 件入力済み</source>
        <translation>{0}: {2} of {1} entered</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="208" />
        <source>— 評価なし（未入力・目標未設定など）</source>
        <translation>— not graded (no value, no target, …)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="214" />
        <source>評価の分布（政策別）</source>
        <translation>Grades by policy</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="238" />
        <source>政策</source>
        <translation>Policy</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="27" />
        <source>はじめに — kplan-desktop</source>
        <translation>Welcome — kplan-desktop</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="30" />
        <source>このパソコンを使う課と、実績を入力する年度を選んでください。</source>
        <translation>Choose the department that uses this PC and the fiscal year you are entering.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="32" />
        <source>担当課として入力する</source>
        <translation>Enter values for a department</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="33" />
        <source>企画担当課（全課の集約）</source>
        <translation>Planning division (all departments)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="52" />
        <source>担当課</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="54" />
        <source>入力する年度</source>
        <translation>Fiscal year to enter</translation>
    </message>
</context>
<context>
    <name>IndicatorTableModel</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="121" />
        <source>コード</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="122" />
        <source>指標名</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="123" />
        <source>単位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="124" />
        <source>区分</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="125" />
        <source>基準値</source>
        <translation>Baseline</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="126" />
        <source>目標</source>
        <translation>Target</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="127" />
        <source>達成率</source>
        <translation>Achievement</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="128" />
        <source>評価</source>
        <translation>Grade</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="180" />
        <source>未設定</source>
        <translation>not set</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="184" />
        <source>（名称未設定）</source>
        <translation>(name not set)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="191" />
        <source>達成</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="193" />
        <source>活動</source>
        <translation>Activity</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="206" />
        <source>以上</source>
        <translation> or more</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="208" />
        <source>以下</source>
        <translation> or less</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="251" />
        <source>コメント: {0}</source>
        <translation>Comment: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="257" />
        <source>欠測理由: {0}</source>
        <translation>Missing: {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="244" />
        <source>企画担当課</source>
        <translation>Planning division</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="245" />
        <source>kplan-desktop — 総合計画の進行管理</source>
        <translation>kplan-desktop — comprehensive plan progress</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="248" />
        <source>計画体系</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="248" />
        <source>未入力</source>
        <translation>Missing</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="256" />
        <source>指標名・コードで検索 (Ctrl+F)</source>
        <translation>Search name or code (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="259" />
        <source>未入力のみ</source>
        <translation>Missing only</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="260" />
        <source>エラー・警告のみ</source>
        <translation>Errors and warnings only</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="261" />
        <source>全課を表示</source>
        <translation>All departments</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="287" />
        <source>コメント（警告がある値には理由が必要です）</source>
        <translation>Comment (a value with warnings needs a reason)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="289" />
        <source>コメントを保存</source>
        <translation>Save comment</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="321" />
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="364" />
        <source>入力</source>
        <translation>Entry</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="322" />
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="367" />
        <source>ダッシュボード</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="340" />
        <source>ファイル(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="342" />
        <source>終了</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="344" />
        <source>編集(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="345" />
        <source>元に戻す</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="347" />
        <source>やり直す</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="354" />
        <source>貼り付け</source>
        <translation>Paste</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="357" />
        <source>値を消去…</source>
        <translation>Clear value…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="360" />
        <source>検索</source>
        <translation>Find</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="362" />
        <source>表示(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="370" />
        <source>再読み込み</source>
        <translation>Reload</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="372" />
        <source>言語</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="376" />
        <source>集約(&amp;A)</source>
        <translation>&amp;Aggregate</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="377" />
        <source>全課の入力状況</source>
        <translation>Progress of all departments</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="378" />
        <source>ヘルプ(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="379" />
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="810" />
        <source>キー操作</source>
        <translation>Keyboard</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="380" />
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="821" />
        <source>バージョン情報</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="432" />
        <source>指標を読み込んでいます…</source>
        <translation>Loading indicators…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="432" />
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="487" />
        <source>読み込めません</source>
        <translation>Cannot load</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="508" />
        <source>基本目標{0} {1}</source>
        <translation>Goal {0} {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="554" />
        <source>エラー {0} 件、コメント待ちの警告 {1} 件、未入力 {2} 件</source>
        <translation>{0} errors, {1} warnings without a comment, {2} missing</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="593" />
        <source>{0} の入力</source>
        <translation>Entry of {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="604" />
        <source>コメントが必要です</source>
        <translation>A comment is needed</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="605" />
        <source>次の警告があります。理由を入力してください:</source>
        <translation>This value has warnings. Please give the reason:</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="628" />
        <source>保存しました: {0} = {1}</source>
        <translation>Saved: {0} = {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="630" />
        <source>{0} 件を保存しました</source>
        <translation>Saved {0} values</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="646" />
        <source>空欄にする</source>
        <translation>Leave empty</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="650" />
        <source>値を消去</source>
        <translation>Clear value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="650" />
        <source>消去した後の状態:</source>
        <translation>After clearing:</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="676" />
        <source>貼り付けできません（セルを選ぶか、範囲を小さくしてください）</source>
        <translation>Cannot paste (select a cell, or paste a smaller block)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="687" />
        <source>{0}行{1}列「{2}」: 入力できないセルです</source>
        <translation>Row {0}, column {1} "{2}": this cell cannot be edited</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="713" />
        <source>貼り付け（{0} 件）</source>
        <translation>Paste ({0} values)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="722" />
        <source>貼り付けできなかったセル</source>
        <translation>Cells not pasted</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="723" />
        <source>{0} 個のセルは保存していません。</source>
        <translation>{0} cells were not saved.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="735" />
        <source>コメントは入力済みのセルに付けられます</source>
        <translation>A comment can be added to a cell that has a value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="497" />
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="748" />
        <source>未設定</source>
        <translation>not set</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="209" />
        <source>読み込んでいます…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="756" />
        <source>目指す姿</source>
        <translation>Aim (in five years)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="756" />
        <source>指標の説明</source>
        <translation>About the indicator</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="756" />
        <source>履歴</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="757" />
        <source>（名称未設定）</source>
        <translation>(name not set)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="763" />
        <source>単位: {0}　方向: {1}　比較: {2}　累計: {3}</source>
        <translation>Unit: {0}  Direction: {1}  Comparator: {2}  Cumulative: {3}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="767" />
        <source>はい</source>
        <translation>yes</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="767" />
        <source>いいえ</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="790" />
        <source>⚠ 警告があります。理由をコメントに記入して保存してください。</source>
        <translation>⚠ This value has warnings. Write the reason in the comment and save it.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="801" />
        <source>表示言語は次回の起動から切り替わります</source>
        <translation>The language changes the next time the program starts</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="812" />
        <source>文字を入力: 編集開始
Enter: 保存して下へ
Tab: 保存して右へ
Ctrl+V: Excel から貼り付け
Delete: 値を消去（欠測理由を選択）
Ctrl+Z / Ctrl+Y: 元に戻す / やり直す
Ctrl+F: 検索
F5: 再読み込み</source>
        <translation>Type: start editing
Enter: save and move down
Tab: save and move right
Ctrl+V: paste from Excel
Delete: clear a value (choose a missing reason)
Ctrl+Z / Ctrl+Y: undo / redo
Ctrl+F: find
F5: reload</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="822" />
        <source>kplan-desktop {0}
データベース: {1}</source>
        <translation>kplan-desktop {0}
Database: {1}</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="124" />
        <source>指標を選ぶと推移を表示します</source>
        <translation>Select an indicator to see its trend</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="149" />
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="278" />
        <source>達成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="149" />
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="277" />
        <source>未達成</source>
        <translation>Not done</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="155" />
        <source>達成／未達成</source>
        <translation>Done / not done</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="157" />
        <source>単位: {0}</source>
        <translation>unit: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="159" />
        <source>単位未設定</source>
        <translation>unit not set</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="161" />
        <source>累計</source>
        <translation>cumulative</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="168" />
        <source>　— 実績・基準値・目標のいずれもありません</source>
        <translation> — no actual, baseline or target</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="198" />
        <source>目標 {0}</source>
        <translation>Target {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="207" />
        <source>目標</source>
        <translation>Target</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="216" />
        <source>目標年度（{0}）</source>
        <translation>Target year ({0})</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="228" />
        <source>基準値（{0}）{1}</source>
        <translation>Baseline ({0}) {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="249" />
        <source>実績</source>
        <translation>Actual</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="269" />
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
</context>
</TS>