<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>BackupActions</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="24"/>
        <source>バックアップを作成</source>
        <translation>Back up now</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="25"/>
        <source>バックアップから復元…</source>
        <translation>Restore from a backup…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="35"/>
        <source>バックアップしています…</source>
        <translation>Backing up…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="39"/>
        <source>バックアップしました: {0}</source>
        <translation>Backed up: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="54"/>
        <source>復元するバックアップを選ぶ</source>
        <translation>Choose the backup to restore</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="56"/>
        <source>kplan のデータベース (*.sqlite3)</source>
        <translation>kplan databases (*.sqlite3)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="62"/>
        <source>バックアップから復元</source>
        <translation>Restore from a backup</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="64"/>
        <source>{0} の内容に戻します。今のデータベースは先にバックアップします。よろしいですか？</source>
        <translation>Go back to the contents of {0}? The current database is backed up first.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="79"/>
        <source>復元しています…</source>
        <translation>Restoring…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="84"/>
        <source>復元しました（元のデータベースのバックアップ: {0}）</source>
        <translation>Restored (the replaced database was backed up to {0})</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="99"/>
        <source>バックアップ</source>
        <translation>Backup</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="91"/>
        <source>年度を選ぶと入力状況を表示します</source>
        <translation>Choose a fiscal year to see the progress of entry</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="97"/>
        <source>課別の入力状況</source>
        <translation>Entry progress by department</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="99"/>
        <source>政策別の入力状況</source>
        <translation>Entry progress by policy</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="176"/>
        <source>{0}の入力状況&#x3000;全体 {1}/{2}</source>
        <translation>Entry progress for {0}  overall {1}/{2}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="189"/>
        <source>対象の指標がありません</source>
        <translation>No indicators to show</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="198"/>
        <source>{0} {1}/{2}</source>
        <translation>{0} {1}/{2}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="202"/>
        <source>{0}: {1} 件中 {2} 件入力済み</source>
        <translation>{0}: {2} of {1} entered</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="208"/>
        <source>— 評価なし（未入力・目標未設定など）</source>
        <translation>— not graded (no value, no target, …)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="215"/>
        <source>評価の分布（政策別）</source>
        <translation>Grades by policy</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/dashboard.py" line="239"/>
        <source>政策</source>
        <translation>Policy</translation>
    </message>
</context>
<context>
    <name>ExchangeActions</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="78"/>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="348"/>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="384"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="212"/>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="231"/>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="272"/>
        <source>確定する</source>
        <translation>Finalise</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="215"/>
        <source>この年度の値を確定します（確定後は値を変更できません）</source>
        <translation>Finalise this year&apos;s values (they cannot change once finalised)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="232"/>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="272"/>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="343"/>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="348"/>
        <source>確定を取り消す</source>
        <translation>Withdraw finalisation</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="234"/>
        <source>提出用ブックを書き出す…</source>
        <translation>Export submission workbook…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="244"/>
        <source>提出ブックを取り込む…</source>
        <translation>Merge submission workbooks…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="246"/>
        <source>記入用テンプレートを書き出す…</source>
        <translation>Export fill-in template…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="249"/>
        <source>集約ブックを作成…</source>
        <translation>Create consolidated workbook…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="297"/>
        <source>{0}は確定済み（{1}、{2}）。値を変更するには「確定を取り消す」を押してください。</source>
        <translation>{0} is finalised ({1}, {2}). To change values, press “Withdraw finalisation”.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="326"/>
        <source>確定できません</source>
        <translation>Cannot finalise</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="331"/>
        <source>{0}を確定しました</source>
        <translation>{0} finalised</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="345"/>
        <source>{0}の確定を取り消します。値を変更できるようになります。提出済みの場合は、変更後にもう一度確定して提出し直してください。</source>
        <translation>Withdraw the finalisation of {0}? Its values can then be changed. If it was already submitted, finalise and submit it again after the changes.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="357"/>
        <source>{0}の確定を取り消しました</source>
        <translation>Finalisation of {0} withdrawn</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="376"/>
        <source>提出用ブックを書き出す</source>
        <translation>Export submission workbook</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="378"/>
        <source>{0}はまだ確定していません。確定してから書き出しますか、下書きとして書き出しますか？（下書きは全シートに「下書き」と表示されます）</source>
        <translation>{0} is not finalised yet. Finalise it and export, or export a draft? (A draft is marked as such on every sheet.)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="382"/>
        <source>確定してから書き出す</source>
        <translation>Finalise, then export</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="383"/>
        <source>下書きとして書き出す</source>
        <translation>Export as draft</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="393"/>
        <source>提出_{0}_{1}.xlsx</source>
        <translation>submission_{0}_{1}.xlsx</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="395"/>
        <source>_下書き</source>
        <translation>_draft</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="396"/>
        <source>提出用ブックの保存先</source>
        <translation>Save the submission workbook</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="412"/>
        <source>提出用ブックを書き出しました（{0} 行）: {1}</source>
        <translation>Submission workbook written ({0} rows): {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="416"/>
        <source>下書きの</source>
        <translation>Draft: </translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="419"/>
        <source>提出用ブックを書き出しています…</source>
        <translation>Writing the submission workbook…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="429"/>
        <source>取り込む提出ブックを選ぶ</source>
        <translation>Choose submission workbooks to merge</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="431"/>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="705"/>
        <source>Excel ブック (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="469"/>
        <source>提出ブックを読み込んでいます（{0} ファイル）…</source>
        <translation>Reading submission workbooks ({0} files)…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="485"/>
        <source>取り込みをやめました（何も書き込んでいません）</source>
        <translation>Merge cancelled (nothing written)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="522"/>
        <source>取り込んでいます…</source>
        <translation>Merging…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="535"/>
        <source>{0} ファイルを取り込みました</source>
        <translation>{0} file(s) merged</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="558"/>
        <source>記入用_{0}_{1}.xlsx</source>
        <translation>template_{0}_{1}.xlsx</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="561"/>
        <source>記入用テンプレートの保存先</source>
        <translation>Save the fill-in template</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="578"/>
        <source>記入用テンプレートを書き出しました: {0}</source>
        <translation>Fill-in template written: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="581"/>
        <source>記入用テンプレートを書き出しています…</source>
        <translation>Writing the fill-in template…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="589"/>
        <source>集約ブックの保存先</source>
        <translation>Save the consolidated workbook</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="589"/>
        <source>集約_{0}.xlsx</source>
        <translation>consolidated_{0}.xlsx</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="608"/>
        <source>集約ブックを作成しました（{0}）: {1}</source>
        <translation>Consolidated workbook written ({0}): {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="613"/>
        <source>集約ブックを作成しています…</source>
        <translation>Writing the consolidated workbook…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="662"/>
        <source>ファイルに書き込めません。Excel などで開いている場合は閉じてから、もう一度お試しください。
{0}</source>
        <translation>Cannot write the file. If it is open in Excel or another program, close it and try again.
{0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="666"/>
        <source>ファイルを読み書きできません: {0}</source>
        <translation>Cannot read or write the file: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="669"/>
        <source>処理できませんでした</source>
        <translation>Could not complete</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="672"/>
        <source>キャンセルしました（何も書き込んでいません）</source>
        <translation>Cancelled (nothing written)</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="35"/>
        <source>はじめに — kplan-desktop</source>
        <translation>Welcome — kplan-desktop</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="38"/>
        <source>このパソコンを使う課と、実績を入力する年度を選んでください。</source>
        <translation>Choose the department that uses this PC and the fiscal year you are entering.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="40"/>
        <source>担当課として入力する</source>
        <translation>Enter values for a department</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="41"/>
        <source>企画担当課（全課の集約）</source>
        <translation>Planning division (all departments)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="58"/>
        <source>担当課</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="60"/>
        <source>入力する年度</source>
        <translation>Fiscal year to enter</translation>
    </message>
</context>
<context>
    <name>IndicatorTableModel</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="136"/>
        <source>コード</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="137"/>
        <source>指標名</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="138"/>
        <source>単位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="139"/>
        <source>区分</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="140"/>
        <source>基準値</source>
        <translation>Baseline</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="141"/>
        <source>目標</source>
        <translation>Target</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="142"/>
        <source>達成率</source>
        <translation>Achievement</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="143"/>
        <source>評価</source>
        <translation>Grade</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="198"/>
        <source>未設定</source>
        <translation>not set</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="202"/>
        <source>（名称未設定）</source>
        <translation>(name not set)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="209"/>
        <source>達成</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="211"/>
        <source>活動</source>
        <translation>Activity</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="224"/>
        <source>以上</source>
        <translation> or more</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="226"/>
        <source>以下</source>
        <translation> or less</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="278"/>
        <source>コメント: {0}</source>
        <translation>Comment: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="284"/>
        <source>欠測理由: {0}</source>
        <translation>Missing: {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="273"/>
        <source>企画担当課</source>
        <translation>Planning division</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="274"/>
        <source>kplan-desktop — 総合計画の進行管理</source>
        <translation>kplan-desktop — comprehensive plan progress</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="277"/>
        <source>計画体系</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="277"/>
        <source>未入力</source>
        <translation>Missing</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="285"/>
        <source>指標名・コードで検索 (Ctrl+F)</source>
        <translation>Search name or code (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="288"/>
        <source>未入力のみ</source>
        <translation>Missing only</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="289"/>
        <source>エラー・警告のみ</source>
        <translation>Errors and warnings only</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="290"/>
        <source>全課を表示</source>
        <translation>All departments</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="333"/>
        <source>コメント（警告がある値には理由が必要です）</source>
        <translation>Comment (a value with warnings needs a reason)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="335"/>
        <source>コメントを保存</source>
        <translation>Save comment</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="380"/>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="431"/>
        <source>入力</source>
        <translation>Entry</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="381"/>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="434"/>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1178"/>
        <source>ダッシュボード</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="402"/>
        <source>ファイル(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="409"/>
        <source>終了</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="411"/>
        <source>編集(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="412"/>
        <source>元に戻す</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="414"/>
        <source>やり直す</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="421"/>
        <source>貼り付け</source>
        <translation>Paste</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="424"/>
        <source>値を消去…</source>
        <translation>Clear value…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="427"/>
        <source>検索</source>
        <translation>Find</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="429"/>
        <source>表示(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="437"/>
        <source>再読み込み</source>
        <translation>Reload</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="439"/>
        <source>言語</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="443"/>
        <source>集約(&amp;A)</source>
        <translation>&amp;Aggregate</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="444"/>
        <source>全課の入力状況</source>
        <translation>Progress of all departments</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="446"/>
        <source>ヘルプ(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="447"/>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1197"/>
        <source>キー操作</source>
        <translation>Keyboard</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="448"/>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1217"/>
        <source>バージョン情報</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="531"/>
        <source>指標を読み込んでいます…</source>
        <translation>Loading indicators…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="531"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="630"/>
        <source>読み込めません</source>
        <translation>Cannot load</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="651"/>
        <source>基本目標{0} {1}</source>
        <translation>Goal {0} {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="698"/>
        <source>エラー {0} 件、コメント待ちの警告 {1} 件、未入力 {2} 件</source>
        <translation>{0} errors, {1} warnings without a comment, {2} missing</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="755"/>
        <source>{0} の入力</source>
        <translation>Entry of {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="772"/>
        <source>ほかの人が保存した値を使います: {0}</source>
        <translation>Using the value someone else saved: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="779"/>
        <source>（なし）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="780"/>
        <source>（空欄）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="782"/>
        <source>この値はほかの人が変更しました。相手の値: {0} / あなたの値: {1}</source>
        <translation>Someone else changed this value. Theirs: {0} / yours: {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="788"/>
        <source>ほかの人が変更しました</source>
        <translation>Changed by someone else</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="790"/>
        <source>{0} の値は、編集中にほかの人が変更しました。</source>
        <translation>Someone else changed the value of {0} while you were editing it.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="794"/>
        <source>相手の値: {0}</source>
        <translation>Their value: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="796"/>
        <source>あなたの値: {0}</source>
        <translation>Your value: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="798"/>
        <source>自分の値で保存</source>
        <translation>Keep mine</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="799"/>
        <source>相手の値を使う</source>
        <translation>Take theirs</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="817"/>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="939"/>
        <source>保存できません</source>
        <translation>Cannot save</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="826"/>
        <source>サーバーに接続できません</source>
        <translation>Cannot reach the server</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="892"/>
        <source>ほかの人が変更した {0} 件の指標を表示しました</source>
        <translation>Showing {0} indicators someone else changed</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="946"/>
        <source>コメントが必要です</source>
        <translation>A comment is needed</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="947"/>
        <source>次の警告があります。理由を入力してください:</source>
        <translation>This value has warnings. Please give the reason:</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="970"/>
        <source>保存しました: {0} = {1}</source>
        <translation>Saved: {0} = {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="972"/>
        <source>{0} 件を保存しました</source>
        <translation>Saved {0} values</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1005"/>
        <source>空欄にする</source>
        <translation>Leave empty</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1009"/>
        <source>値を消去</source>
        <translation>Clear value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1009"/>
        <source>消去した後の状態:</source>
        <translation>After clearing:</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1035"/>
        <source>貼り付けできません（セルを選ぶか、範囲を小さくしてください）</source>
        <translation>Cannot paste (select a cell, or paste a smaller block)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1046"/>
        <source>{0}行{1}列「{2}」: 入力できないセルです</source>
        <translation>Row {0}, column {1} &quot;{2}&quot;: this cell cannot be edited</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1073"/>
        <source>貼り付け（{0} 件）</source>
        <translation>Paste ({0} values)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1082"/>
        <source>貼り付けできなかったセル</source>
        <translation>Cells not pasted</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1083"/>
        <source>{0} 個のセルは保存していません。</source>
        <translation>{0} cells were not saved.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1095"/>
        <source>コメントは入力済みのセルに付けられます</source>
        <translation>A comment can be added to a cell that has a value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="640"/>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1108"/>
        <source>未設定</source>
        <translation>not set</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="225"/>
        <source>読み込んでいます…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1116"/>
        <source>目指す姿</source>
        <translation>Aim (in five years)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1116"/>
        <source>指標の説明</source>
        <translation>About the indicator</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="319"/>
        <source>履歴</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1117"/>
        <source>（名称未設定）</source>
        <translation>(name not set)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1123"/>
        <source>単位: {0}&#x3000;方向: {1}&#x3000;比較: {2}&#x3000;累計: {3}</source>
        <translation>Unit: {0}  Direction: {1}  Comparator: {2}  Cumulative: {3}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1127"/>
        <source>はい</source>
        <translation>yes</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1127"/>
        <source>いいえ</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1148"/>
        <source>この指標の変更記録はまだありません</source>
        <translation>No changes recorded for this indicator yet</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1157"/>
        <source>⚠ 警告があります。理由をコメントに記入して保存してください。</source>
        <translation>⚠ This value has warnings. Write the reason in the comment and save it.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1188"/>
        <source>表示言語は次回の起動から切り替わります</source>
        <translation>The language changes the next time the program starts</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1199"/>
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
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1206"/>
        <source>Ctrl+I: 提出ブックを取り込む（ファイルをウィンドウにドロップしても可）
Ctrl+T: 記入用テンプレートを書き出す
Ctrl+Shift+E: 集約ブックを作成</source>
        <translation>Ctrl+I: merge submission workbooks (or drop the files on the window)
Ctrl+T: export a fill-in template
Ctrl+Shift+E: create the consolidated workbook</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1210"/>
        <source>Ctrl+E: 提出用ブックを書き出す</source>
        <translation>Ctrl+E: export the submission workbook</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="1218"/>
        <source>kplan-desktop {0}
データベース: {1}</source>
        <translation>kplan-desktop {0}
Database: {1}</translation>
    </message>
</context>
<context>
    <name>MergePreviewDialog</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="392"/>
        <source>提出ブックの取り込み — 確認</source>
        <translation>Merge submission workbooks — preview</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="422"/>
        <source>変更なしの行を隠す</source>
        <translation>Hide unchanged rows</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="424"/>
        <source>選んだ競合: ファイルの値を採る</source>
        <translation>Selected conflicts: take the file&apos;s value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="426"/>
        <source>選んだ競合: データベースの値を残す</source>
        <translation>Selected conflicts: keep the database&apos;s value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="437"/>
        <source>有効な行だけ取り込む</source>
        <translation>Merge only the valid rows</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="440"/>
        <source>却下された行があるファイルは、ふだんは何も書き込みません。チェックすると、そのファイルの有効な行だけを書き込みます。</source>
        <translation>A file with rejected rows normally writes nothing. When checked, its valid rows are written.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="451"/>
        <source>取り込む</source>
        <translation>Merge</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="454"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="490"/>
        <source>提出ブック</source>
        <translation>Submission workbook</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="491"/>
        <source>提出ブック（別のソフトで保存）</source>
        <translation>Submission workbook (re-saved by another program)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="492"/>
        <source>提出ブック（プログラムの外で編集）</source>
        <translation>Submission workbook (edited outside the program)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="493"/>
        <source>記入用テンプレート</source>
        <translation>Fill-in template</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="513"/>
        <source>読み込めません（このファイルは取り込みません）</source>
        <translation>Cannot be read (this file is not merged)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="535"/>
        <source>同じ指標・年度の行を含むファイルが複数あります（{0} 件）。先のファイルを書き込んだあと、後のファイルは書き込めないことがあります。その場合はもう一度取り込んでください。</source>
        <translation>Several files hold rows for the same indicator and year ({0}). Once the first file is written, a later one may be refused; if so, merge it again.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="564"/>
        <source>{0} ファイル、{1} 行</source>
        <translation>{0} file(s), {1} rows</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="566"/>
        <source>{0} ファイル（{1} 件は取り込めません）</source>
        <translation>{0} file(s) ({1} cannot be merged)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="567"/>
        <source>{0} ファイル（{1} 件は取り込めません）、{2} 行</source>
        <translation>{0} file(s) ({1} cannot be merged), {2} rows</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="580"/>
        <source>競合 {0} 件のうち未決定 {1} 件（未決定の行は書き込みません）</source>
        <translation>{1} of {0} conflict(s) undecided (undecided rows are not written)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="587"/>
        <source>⚠ 却下された行のあるファイル {0} 件は何も書き込みません（「有効な行だけ取り込む」で有効な行を書き込めます）</source>
        <translation>⚠ {0} file(s) with rejected rows will write nothing (check “Merge only the valid rows” to write their valid rows)</translation>
    </message>
</context>
<context>
    <name>MergePreviewModel</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="171"/>
        <source>ファイル</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="172"/>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="173"/>
        <source>指標</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="174"/>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="175"/>
        <source>結果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="176"/>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="177"/>
        <source>ファイルの値</source>
        <translation>File value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="178"/>
        <source>データベースの値</source>
        <translation>Database value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="179"/>
        <source>競合の扱い</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="193"/>
        <source>新規</source>
        <translation>New</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="195"/>
        <source>更新</source>
        <translation>Updated</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="197"/>
        <source>変更なし</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="199"/>
        <source>競合</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="201"/>
        <source>却下</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="205"/>
        <source>未決定（書き込まない）</source>
        <translation>Undecided (not written)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="206"/>
        <source>ファイルの値を採る</source>
        <translation>Take the file&apos;s value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="207"/>
        <source>データベースの値を残す</source>
        <translation>Keep the database&apos;s value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="244"/>
        <source>クリックして、どちらの値を採るか選びます</source>
        <translation>Click to choose which value to keep</translation>
    </message>
</context>
<context>
    <name>MergeSummaryDialog</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="617"/>
        <source>取り込みの結果</source>
        <translation>Merge result</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="623"/>
        <source>読み込めません</source>
        <translation>Cannot be read</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="631"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="637"/>
        <source>{0} ファイルのうち {1} ファイルを書き込みました。</source>
        <translation>{1} of {0} file(s) written.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="655"/>
        <source>書き込みました</source>
        <translation>Written</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="657"/>
        <source>値の変更はありません（受け取ったことを記録しました）</source>
        <translation>No values changed (the file is recorded as received)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="660"/>
        <source>。未決定の競合 {0} 件は書き込んでいません</source>
        <translation>; {0} undecided conflict(s) not written</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="662"/>
        <source>却下された行があるため、何も書き込んでいません</source>
        <translation>Rows were rejected, so nothing was written</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="664"/>
        <source>書き込む変更はありません（取り込み済み）</source>
        <translation>Nothing to write (already merged)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="670"/>
        <source>ファイル</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="671"/>
        <source>書き込み</source>
        <translation>Written</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="671"/>
        <source>説明</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="675"/>
        <source>済み</source>
        <translation>yes</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="675"/>
        <source>なし</source>
        <translation>no</translation>
    </message>
</context>
<context>
    <name>OpenItemsDialog</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="115"/>
        <source>確定できません</source>
        <translation>Cannot finalise</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="119"/>
        <source>{0}はまだ確定できません。残っている項目が {1} 件あります。値を入力するか、未記入の理由・警告へのコメントを付けてから確定してください。</source>
        <translation>{0} cannot be finalised yet: {1} item(s) are still open. Enter the values, or give a reason for a missing value or a comment on a warning, then finalise.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="131"/>
        <source>ダブルクリックでその指標へ移動します</source>
        <translation>Double-click an item to go to its indicator</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="134"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>TemplateDialog</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="154"/>
        <source>記入用テンプレートを書き出す</source>
        <translation>Export fill-in template</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="168"/>
        <source>このプログラムを使わない課に送る、記入用のブックを書き出します。</source>
        <translation>Writes a workbook to fill in, for a department that does not use this program.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="170"/>
        <source>担当課</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="171"/>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="173"/>
        <source>保存先を選ぶ…</source>
        <translation>Choose where to save…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="174"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="127"/>
        <source>指標を選ぶと推移を表示します</source>
        <translation>Select an indicator to see its trend</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="156"/>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="327"/>
        <source>達成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="156"/>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="326"/>
        <source>未達成</source>
        <translation>Not done</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="165"/>
        <source>達成／未達成</source>
        <translation>Done / not done</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="167"/>
        <source>単位: {0}</source>
        <translation>unit: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="169"/>
        <source>単位未設定</source>
        <translation>unit not set</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="171"/>
        <source>累計</source>
        <translation>cumulative</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="181"/>
        <source>&#x3000;— 実績・基準値・目標のいずれもありません</source>
        <translation> — no actual, baseline or target</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="224"/>
        <source>以上</source>
        <translation> or more</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="224"/>
        <source>以下</source>
        <translation> or less</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="226"/>
        <source>目標 {0}</source>
        <translation>Target {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="235"/>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="239"/>
        <source>目標</source>
        <translation>Target</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="244"/>
        <source>目標年度（{0}）{1}</source>
        <translation>Target year ({0}) {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="253"/>
        <source>目標年度</source>
        <translation>Target year</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="258"/>
        <source>基準値（{0}）{1}</source>
        <translation>Baseline ({0}) {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="267"/>
        <source>基準値</source>
        <translation>Baseline</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="278"/>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="284"/>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="298"/>
        <source>実績</source>
        <translation>Actual</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="306"/>
        <source>実績: {0}</source>
        <translation>Actual: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="318"/>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
</context>
</TS>
