<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name></name>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="240"/>
        <source>施策</source>
        <translation>Measure</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="240"/>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="387"/>
        <source>コード</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="240"/>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="387"/>
        <source>指標名</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="240"/>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="387"/>
        <source>単位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="240"/>
        <source>引き継ぎ</source>
        <translation>Carried over</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="241"/>
        <source>新しいコード</source>
        <translation>New code</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="241"/>
        <source>基準値</source>
        <translation>Baseline</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="262"/>
        <source>この施策をすべて選択(&amp;U)</source>
        <translation>Select this meas&amp;ure</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="263"/>
        <source>この政策をすべて選択(&amp;P)</source>
        <translation>Select this &amp;policy</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="288"/>
        <source>基準値（{0}）</source>
        <translation>Baseline ({0})</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="301"/>
        <source>「未設定」: {0}の実績がまだ入っていません。実績が入ると基準値は自動で入り、監査ログに記録されます。</source>
        <translation>&quot;not set&quot;: the {0} actual is not in yet. When it arrives the baseline fills itself in, recorded in the audit log.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="387"/>
        <source>前計画の目標値</source>
        <translation>Target of the plan before</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="387"/>
        <source>新しい目標値</source>
        <translation>New target</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="398"/>
        <source>指標を追加</source>
        <translation>Add an indicator</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="409"/>
        <source>達成指標</source>
        <translation>Outcome indicator</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="410"/>
        <source>活動指標</source>
        <translation>Activity indicator</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="420"/>
        <source>追加(&amp;A)</source>
        <translation>&amp;Add</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="425"/>
        <source>施策(&amp;U)</source>
        <translation>Meas&amp;ure</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="425"/>
        <source>コード(&amp;O)</source>
        <translation>C&amp;ode</translation>
    </message>
    <message>
        <source>指標名(&amp;N)</source>
        <translation type="vanished">&amp;Name</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="426"/>
        <source>単位(&amp;T)</source>
        <translation>Uni&amp;t</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="426"/>
        <source>指標名(&amp;I)</source>
        <translation>&amp;Indicator name</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="427"/>
        <source>担当課(&amp;D)</source>
        <translation>&amp;Department</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="427"/>
        <source>種類(&amp;K)</source>
        <translation>&amp;Kind</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="428"/>
        <source>目標値(&amp;G)</source>
        <translation>Tar&amp;get</translation>
    </message>
</context>
<context>
    <name>BackupActions</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="29"/>
        <source>バックアップを作成</source>
        <translation>Back up now</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="30"/>
        <source>バックアップから復元…</source>
        <translation>Restore from a backup…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="40"/>
        <source>バックアップしています…</source>
        <translation>Backing up…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="44"/>
        <source>バックアップしました: {0}</source>
        <translation>Backed up: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="58"/>
        <source>復元するバックアップを選ぶ</source>
        <translation>Choose the backup to restore</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="60"/>
        <source>kplan のデータベース (*.sqlite3)</source>
        <translation>kplan databases (*.sqlite3)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="74"/>
        <source>復元をやめました（何も変えていません）</source>
        <translation>Restore cancelled (nothing changed)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="79"/>
        <source>バックアップから復元</source>
        <translation>Restore from a backup</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="81"/>
        <source>{0} の内容に戻します。今のデータベースは先にバックアップします。よろしいですか？</source>
        <translation>Go back to the contents of {0}? The current database is backed up first.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="103"/>
        <source>復元しています…</source>
        <translation>Restoring…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="108"/>
        <source>別のカタログ（この端末が使ったことのないカタログ）</source>
        <translation>another catalog (one this installation never used)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="110"/>
        <source>別の端末</source>
        <translation>another installation</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="114"/>
        <source>別の端末のバックアップ</source>
        <translation>Another installation&apos;s backup</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="116"/>
        <source>このバックアップは{0}のデータベースです。

バックアップ: データベースID {1}、カタログ {2}
この端末: データベースID {3}、カタログ {4}

復元すると、この端末のデータベースID・登録済みの鍵・値はすべてバックアップのものになります。本当に復元しますか？</source>
        <translation>This backup is a database of {0}.

Backup: database ID {1}, catalog {2}
This installation: database ID {3}, catalog {4}

Restoring it replaces this installation&apos;s database ID, registered keys and values with the backup&apos;s. Restore it?</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="136"/>
        <source>復元しました（元のデータベースのバックアップ: {0}）</source>
        <translation>Restored (the replaced database was backed up to {0})</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/backup_actions.py" line="144"/>
        <source>バックアップ</source>
        <translation>Backup</translation>
    </message>
</context>
<context>
    <name>CatalogActions</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="105"/>
        <source>カタログを編集…</source>
        <translation>Edit the catalog…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="106"/>
        <source>カタログを書き出す…</source>
        <translation>Export the catalog…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="108"/>
        <source>カタログを読み込む…</source>
        <translation>Import a catalog…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="111"/>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="269"/>
        <source>カタログの版の履歴</source>
        <translation>Catalog versions</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="149"/>
        <source>カタログを保存しました（{0}）</source>
        <translation>Catalog saved ({0})</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="161"/>
        <source>カタログの保存先</source>
        <translation>Save the catalog as</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="162"/>
        <source>カタログ.xlsx</source>
        <translation>catalog.xlsx</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="163"/>
        <source>Excel ブック (*.xlsx);;JSON (*.json)</source>
        <translation>Excel workbook (*.xlsx);;JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="174"/>
        <source>カタログを書き出せません</source>
        <translation>Cannot export the catalog</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="179"/>
        <source>カタログ（{0}）を書き出しました: {1}</source>
        <translation>Catalog ({0}) exported: {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="191"/>
        <source>読み込むカタログを選ぶ</source>
        <translation>Choose the catalog to import</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="193"/>
        <source>カタログ (*.xlsx *.json)</source>
        <translation>Catalog (*.xlsx *.json)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="204"/>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="217"/>
        <source>カタログを読み込めません</source>
        <translation>Cannot import the catalog</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="222"/>
        <source>第{0}期「{1}」を作りました（企画担当課と同じ番号・指標の引継ぎ）</source>
        <translation>Plan generation {0} &apos;{1}&apos; made here (the planning division&apos;s number and indicator links)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="235"/>
        <source>カタログ（{0}）を読み込みました</source>
        <translation>Catalog ({0}) imported</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="238"/>
        <source>{0}（提出期限 {1}）</source>
        <translation>{0} (due {1})</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="243"/>
        <source>入力受付中の年度を受け取りました: {0}</source>
        <translation>Open fiscal years received: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="254"/>
        <source>初期カタログ</source>
        <translation>initial catalog</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="255"/>
        <source>この端末で編集</source>
        <translation>edited here</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="256"/>
        <source>読み込み</source>
        <translation>imported</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="270"/>
        <source>版の記録はありません</source>
        <translation>No versions recorded</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="271"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>CatalogEditor</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="91"/>
        <source>カタログの編集</source>
        <translation>Edit the catalog</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="95"/>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="278"/>
        <source>コード</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="95"/>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="279"/>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="306"/>
        <source>名前</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="100"/>
        <source>左の一覧から項目を選んでください</source>
        <translation>Choose an item in the list on the left</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="107"/>
        <source>指標を追加</source>
        <translation>Add indicator</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="109"/>
        <source>課を追加</source>
        <translation>Add department</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="111"/>
        <source>指標を廃止</source>
        <translation>Retire indicator</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="113"/>
        <source>指標を削除</source>
        <translation>Delete indicator</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="140"/>
        <source>元に戻す</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="144"/>
        <source>やり直す</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="148"/>
        <source>保存（新しい版）</source>
        <translation>Save (new version)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="151"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="190"/>
        <source>件数・人数（整数）</source>
        <translation>Count (whole number)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="191"/>
        <source>千人・万円など（単位つきの数）</source>
        <translation>Scaled count (thousands, 10,000 yen, …)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="192"/>
        <source>割合（%）</source>
        <translation>Percentage (%)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="193"/>
        <source>小数</source>
        <translation>Decimal</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="194"/>
        <source>金額</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="195"/>
        <source>期間あたりの数</source>
        <translation>Per period</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="196"/>
        <source>達成／未達成</source>
        <translation>Achieved / not achieved</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="199"/>
        <source>（単位から判断）</source>
        <translation>(from the unit)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="202"/>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="205"/>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="210"/>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="213"/>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="217"/>
        <source>（未設定）</source>
        <translation>(not set)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="207"/>
        <source>累計値</source>
        <translation>Cumulative</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="226"/>
        <source>実施中</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="227"/>
        <source>未着手</source>
        <translation>Not started</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="228"/>
        <source>廃止</source>
        <translation>Retired</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="238"/>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="276"/>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="298"/>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="327"/>
        <source>適用</source>
        <translation>Apply</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="241"/>
        <source>指標コード</source>
        <translation>Indicator code</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="242"/>
        <source>指標名</source>
        <translation>Indicator name</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="243"/>
        <source>区分</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="244"/>
        <source>単位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="245"/>
        <source>値の種類</source>
        <translation>Value kind</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="246"/>
        <source>方向</source>
        <translation>Direction</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="247"/>
        <source>目標の比較</source>
        <translation>Target comparator</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="249"/>
        <source>小数桁</source>
        <translation>Decimals</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="250"/>
        <source>基準年度</source>
        <translation>Baseline year</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="251"/>
        <source>基準値（単位つきでも可）</source>
        <translation>Baseline (a unit may be typed)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="252"/>
        <source>目標年度</source>
        <translation>Target year</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="253"/>
        <source>目標値（単位つきでも可）</source>
        <translation>Target (a unit may be typed)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="254"/>
        <source>年度別目標（年度=目標、「、」区切り）</source>
        <translation>Interim targets (year=target, separated by 「、」)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="255"/>
        <source>前年比の警告（0.5 = 50%）</source>
        <translation>Year-on-year warning (0.5 = 50%)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="256"/>
        <source>状態</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="257"/>
        <source>担当課</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="258"/>
        <source>指標の説明</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="259"/>
        <source>備考</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="260"/>
        <source>他計画の項目（この指標・1行に1件）</source>
        <translation>Other plans&apos; items (this indicator; one per line)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="275"/>
        <source>他計画の項目（施策全体・1行に1件）</source>
        <translation>Other plans&apos; items (the whole measure; one per line)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="305"/>
        <source>施策の方向</source>
        <translation>Measure direction</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="307"/>
        <source>内容</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="308"/>
        <source>タグ</source>
        <translation>Tags</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="309"/>
        <source>他計画の項目（1行に1件: 計画|コード|項目名）</source>
        <translation>Other plans&apos; items (one per line: plan|code|title)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="319"/>
        <source>有効（指標を担当できる）</source>
        <translation>Active (may own indicators)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="321"/>
        <source>担当者・内線・メール</source>
        <translation>Person, extension, mail</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="329"/>
        <source>課コード</source>
        <translation>Department code</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="330"/>
        <source>課名</source>
        <translation>Department name</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="331"/>
        <source>連絡先</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="333"/>
        <source>名称変更・統合の年度（から）</source>
        <translation>Year of the rename or merge (from)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="334"/>
        <source>統合先（この課の指標が移る）</source>
        <translation>Merge into (its indicators move there)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="335"/>
        <source>履歴</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="349"/>
        <source>課</source>
        <translation>Departments</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="353"/>
        <source>{0}（無効）</source>
        <translation>{0} (inactive)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="372"/>
        <source>方向: {0}</source>
        <translation>Direction: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="379"/>
        <source>{0}（廃止）</source>
        <translation>{0} (retired)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="479"/>
        <source>副題</source>
        <translation>Subtitle</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="487"/>
        <source>目指す姿</source>
        <translation>Aim</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="523"/>
        <source>施策の方向 {0} ({1}) を変更</source>
        <translation>Direction {0} ({1}) changed</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="537"/>
        <source>{0}年度まで「{1}」</source>
        <translation>“{1}” until FY{0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="540"/>
        <source>{0}年度まで報告、以後は {1} に統合</source>
        <translation>reported until FY{0}, then merged into {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="544"/>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="699"/>
        <source>なし</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="560"/>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="771"/>
        <source>変更はありません</source>
        <translation>Nothing changed</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="563"/>
        <source>変更しました（保存するまで反映されません）: {0}</source>
        <translation>Changed (takes effect when saved): {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="626"/>
        <source>指標 {0} を変更</source>
        <translation>Indicator {0} changed</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="646"/>
        <source>{0} を変更</source>
        <translation>{0} changed</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="671"/>
        <source>課 {0} を {1} に統合（{2}年度から）</source>
        <translation>Department {0} merged into {1} (from FY{2})</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="673"/>
        <source>課 {0} を変更</source>
        <translation>Department {0} changed</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="676"/>
        <source>課コードと課名が必要です</source>
        <translation>A department needs a code and a name</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="682"/>
        <source>（統合しない）</source>
        <translation>(no merge)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="723"/>
        <source>指標 {0} を追加</source>
        <translation>Indicator {0} added</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="739"/>
        <source>指標 {0} を廃止</source>
        <translation>Indicator {0} retired</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="756"/>
        <source>指標 {0} には実績があるため削除できません。「指標を廃止」を使ってください</source>
        <translation>Indicator {0} holds values and cannot be deleted; use “Retire indicator”</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="762"/>
        <source>指標 {0} を削除</source>
        <translation>Indicator {0} deleted</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="786"/>
        <source>保存できません</source>
        <translation>Cannot save</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_editor.py" line="792"/>
        <source>保存しました（{0}）</source>
        <translation>Saved ({0})</translation>
    </message>
</context>
<context>
    <name>CatalogImportDialog</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="41"/>
        <source>カタログを読み込む</source>
        <translation>Import a catalog</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="47"/>
        <source>版なし</source>
        <translation>no version</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="50"/>
        <source>読み込むカタログ: {0}</source>
        <translation>Incoming catalog: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="53"/>
        <source>使用中のカタログ: {0}</source>
        <translation>Catalog in use: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="57"/>
        <source>入力済みの値はすべてそのまま残ります。</source>
        <translation>Every value entered stays as it is.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="59"/>
        <source>カタログに変更はありません。</source>
        <translation>The catalog is unchanged.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="61"/>
        <source>読み込むと、入力受付中の年度と提出期限を受け取ります。</source>
        <translation>Importing takes in the fiscal years open for entry and their due dates.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="64"/>
        <source>違い: {0}</source>
        <translation>Differences: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="66"/>
        <source>入力済みの値はすべてそのまま残ります。新しい目標値で評価し直します。</source>
        <translation>Every entered value stays as it is; grades are computed again with the new targets.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="80"/>
        <source>読み込む</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/catalog_actions.py" line="83"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ChangePoller</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/poller.py" line="102"/>
        <source>ほかの人が変更した {0} 件の指標を表示しました</source>
        <translation>Showing {0} indicators someone else changed</translation>
    </message>
</context>
<context>
    <name>Closing</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/closing.py" line="42"/>
        <source>kplan-desktop を終了しますか？（入力した値は保存済みです）</source>
        <translation>Quit kplan-desktop? (the values you entered are saved)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/closing.py" line="45"/>
        <source>入力中のコメント「{0}」は保存できませんでした。保存せずに終了しますか？</source>
        <translation>The comment being typed, &quot;{0}&quot;, could not be saved. Quit without saving it?</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/closing.py" line="54"/>
        <source>終了の確認</source>
        <translation>Quit?</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/closing.py" line="50"/>
        <source>{0}の入力中の値「{1}」はまだ保存していません。保存せずに終了しますか？</source>
        <translation>The value “{1}” being typed in {0} is not saved yet. Quit without saving it?</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/closing.py" line="66"/>
        <source>このセル</source>
        <translation>this cell</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/closing.py" line="73"/>
        <source>{0} {1}（{2}）</source>
        <translation>{0} {1} ({2})</translation>
    </message>
    <message>
        <source>入力中の値「{0}」はまだ保存していません。保存せずに終了しますか？</source>
        <translation type="vanished">The value “{0}” you are typing is not saved yet. Quit without saving it?</translation>
    </message>
</context>
<context>
    <name>CommentDialog</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/comment_dialog.py" line="170"/>
        <source>コメントが必要です</source>
        <translation>A comment is needed</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/comment_dialog.py" line="181"/>
        <source>次の警告があります。理由を入力してください:</source>
        <translation>This value has warnings. Please give the reason:</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/comment_dialog.py" line="192"/>
        <source>取り消す前に入力していたコメントです。</source>
        <translation>The comment you were typing before you cancelled.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/comment_dialog.py" line="195"/>
        <source>前の値に書かれたコメントです。この値にも当てはまるか確認してください。</source>
        <translation>This comment was written for the previous value. Check that it also fits this value.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/comment_dialog.py" line="208"/>
        <source>Enter: 保存&#x3000;Shift+Enter: 改行&#x3000;Esc: ここで終わる（残りは保存しません）</source>
        <translation>Enter: save   Shift+Enter: new line   Esc: stop here (the rest is not saved)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/comment_dialog.py" line="210"/>
        <source>Enter: 保存&#x3000;Shift+Enter: 改行&#x3000;Esc: 取り消し（値とコメントは残ります）</source>
        <translation>Enter: save   Shift+Enter: new line   Esc: cancel (the typed value and comment stay)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/comment_dialog.py" line="216"/>
        <source>開いた直後のキー入力は使いません。</source>
        <translation>Keys typed just as this opens are not used.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/comment_dialog.py" line="320"/>
        <source>キー「{keys}」</source>
        <translation>the keys “{keys}”</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/comment_dialog.py" line="322"/>
        <source>とその前の {n} 回のキー入力</source>
        <translation> and {n} key presses before them</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/comment_dialog.py" line="324"/>
        <source>{n} 回のキー入力</source>
        <translation>{n} key presses</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/comment_dialog.py" line="327"/>
        <source>この画面が開く前後に打たれた{keys}は使っていません（コメントにも次の行にも入っていません）。この値のコメントを入力してください。次の行の値は、この後で入力し直してください。</source>
        <translation>Typed as this dialog opened, {keys} were not used (neither as the comment nor in the next row). Enter the comment for this value; type the next row&apos;s value again afterwards.</translation>
    </message>
    <message>
        <source>Enter: 保存&#x3000;Shift+Enter: 改行&#x3000;Esc: 取り消し（入力した値は残ります）</source>
        <translation type="vanished">Enter: save   Shift+Enter: new line   Esc: cancel (the typed value stays)</translation>
    </message>
</context>
<context>
    <name>CycleActions</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="206"/>
        <source>提出状況…</source>
        <translation>Submission status…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="207"/>
        <source>年度をロックする（締め切り）…</source>
        <translation>Lock the year (close the review)…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="208"/>
        <source>年度のロックを解除する…</source>
        <translation>Unlock the year…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="219"/>
        <source>年度をロックする</source>
        <translation>Lock the year</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="221"/>
        <source>{0}をロックします。以後、この年度の値・施策評価の変更と取り込みはすべて拒否されます（解除は理由とともに記録されます）。よろしいですか？</source>
        <translation>Lock {0}? Every change to its values and evaluations, and every merge into it, will be refused (an unlock is recorded with its reason).</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="238"/>
        <source>ロックできません</source>
        <translation>Cannot lock the year</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="243"/>
        <source>{0}をロックしました</source>
        <translation>{0} locked</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="245"/>
        <source>{0}はすでにロックされています</source>
        <translation>{0} is already locked</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="259"/>
        <source>年度のロックを解除する</source>
        <translation>Unlock the year</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="260"/>
        <source>{0}のロックを解除する理由（記録されます）</source>
        <translation>Why unlock {0}? (recorded)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="276"/>
        <source>ロックを解除できません</source>
        <translation>Cannot unlock the year</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="280"/>
        <source>{0}のロックを解除しました</source>
        <translation>{0} unlocked</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="282"/>
        <source>{0}はロックされていません</source>
        <translation>{0} is not locked</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="293"/>
        <source>{0}の入力受付はまだ始まっていません</source>
        <translation>{0} is not open for entry yet</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="295"/>
        <source>{0}: 入力受付中（提出期限なし）</source>
        <translation>{0}: open for entry (no due date)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="299"/>
        <source>あと{0}日</source>
        <translation>{0} days left</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="301"/>
        <source>{0}日過ぎています</source>
        <translation>{0} days overdue</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="302"/>
        <source>{0}の提出期限: {1}（{2}）</source>
        <translation>{0} due: {1} ({2})</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="324"/>
        <source>{0}は締め切られています（年度ロック）。値・施策評価は変更できません</source>
        <translation>{0} is closed (locked): values and evaluations cannot change</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="336"/>
        <source>残り: 未入力 {0} 件、エラー・説明のない警告 {1} 件</source>
        <translation>Still owed: {0} without a value, {1} errors or unexplained warnings</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="340"/>
        <source>すべて入力済みです。確定して提出用ブックを書き出してください</source>
        <translation>Everything is entered: finalise and export the submission workbook</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="395"/>
        <source>受付を始められません</source>
        <translation>Cannot open the year</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="408"/>
        <source>未提出の課の一覧の保存先</source>
        <translation>Save the list of departments still to submit</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="409"/>
        <source>未提出の課.xlsx</source>
        <translation>departments-to-submit.xlsx</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="410"/>
        <source>Excel ブック (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="421"/>
        <source>書き出せません</source>
        <translation>Cannot write the file</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="423"/>
        <source>未提出の課 {0} 件を書き出しました: {1}</source>
        <translation>{0} departments still to submit written: {1}</translation>
    </message>
</context>
<context>
    <name>CycleStatusDialog</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="141"/>
        <source>提出状況（{0}）</source>
        <translation>Submission status ({0})</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="147"/>
        <source>課コード</source>
        <translation>Department code</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="147"/>
        <source>課名</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="147"/>
        <source>状況</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="147"/>
        <source>入力済み／指標数</source>
        <translation>Entered / indicators</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="151"/>
        <source>年度の入力受付を始める…</source>
        <translation>Open the year for entry…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="153"/>
        <source>未提出の課を書き出す…</source>
        <translation>Write the departments still to submit…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="158"/>
        <source>閉じる</source>
        <translation>Close</translation>
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
    <name>DecisionPage</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="229"/>
        <source>2. 指標の引き継ぎ</source>
        <translation>2. Carrying indicators over</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="232"/>
        <source>行を選んで 1 = 継続、2 = 置換（新しい指標に置き換える）、3 = 終了。施策・政策ごとにまとめて選べます。</source>
        <translation>Select rows, then 1 = continue, 2 = replace (a new indicator takes its place), 3 = end. A whole measure or policy can be selected at once.</translation>
    </message>
</context>
<context>
    <name>DetailPanel</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="66"/>
        <source>履歴</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="80"/>
        <source>コメント（警告がある値には理由が必要です）</source>
        <translation>Comment (a value with warnings needs a reason)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="82"/>
        <source>コメントを保存</source>
        <translation>Save comment</translation>
    </message>
    <message>
        <source>コメントは入力済みのセルに付けられます</source>
        <translation type="vanished">A comment can be added to a cell that has a value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="168"/>
        <source>未設定</source>
        <translation>not set</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="176"/>
        <source>目指す姿</source>
        <translation>Aim</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="176"/>
        <source>指標の説明</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="177"/>
        <source>（名称未設定）</source>
        <translation>(name not set)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="183"/>
        <source>単位: {0}&#x3000;方向: {1}&#x3000;比較: {2}&#x3000;累計: {3}</source>
        <translation>Unit: {0}  Direction: {1}  Comparator: {2}  Cumulative: {3}</translation>
    </message>
    <message>
        <source>はい</source>
        <translation type="vanished">yes</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="189"/>
        <source>いいえ</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="218"/>
        <source>この指標の変更記録はまだありません</source>
        <translation>No changes recorded for this indicator yet</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="238"/>
        <source>⚠ 警告があります。理由をコメントに記入して保存してください。</source>
        <translation>⚠ This value has warnings. Write the reason in the comment and save it.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="276"/>
        <source>前の計画の実績</source>
        <translation>Earlier plans&apos; actuals</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="277"/>
        <source>各年度は、その年度が属した計画の目標で評価しています。</source>
        <translation>Each year is graded against the target of the plan it belonged to.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="279"/>
        <source>前の計画の実績はありません。</source>
        <translation>No actuals under the earlier plans.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="284"/>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="285"/>
        <source>計画</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="286"/>
        <source>実績</source>
        <translation>Actual</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="287"/>
        <source>目標</source>
        <translation>Target</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="288"/>
        <source>評価</source>
        <translation>Grade</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="307"/>
        <source>（なし）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="311"/>
        <source>コメントを削除（{0}）</source>
        <translation>comment removed ({0})</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="313"/>
        <source>コメントを追加: {0}</source>
        <translation>comment added: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="315"/>
        <source>コメントを変更: {0} → {1}</source>
        <translation>comment changed: {0} → {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="316"/>
        <source>{0}（値 {1} はそのまま）</source>
        <translation>{0} (value {1} unchanged)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="320"/>
        <source>（コメント: {0} → {1}）</source>
        <translation> (comment: {0} → {1})</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="323"/>
        <source>取り消し: {0}</source>
        <translation>undo: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/detail_panel.py" line="325"/>
        <source>やり直し: {0}</source>
        <translation>redo: {0}</translation>
    </message>
</context>
<context>
    <name>EntryController</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="90"/>
        <source>エラー {0} 件、コメント待ちの警告 {1} 件、未入力 {2} 件</source>
        <translation>{0} errors, {1} warnings without a comment, {2} missing</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="181"/>
        <source>{0} の入力</source>
        <translation>Entry of {0}</translation>
    </message>
    <message>
        <source>ほかの人が保存した値を使います: {0}</source>
        <translation type="vanished">Using the value someone else saved: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="211"/>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="243"/>
        <source>（なし）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="213"/>
        <source>{0} にはすでに {1} が保存されています</source>
        <translation>{0} already holds {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="215"/>
        <source>ほかの人が保存した値を使います: {0} = {1}</source>
        <translation>Using the value someone else saved: {0} = {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="244"/>
        <source>（空欄）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="246"/>
        <source>この値はほかの人が変更しました。相手の値: {0} / あなたの値: {1}</source>
        <translation>Someone else changed this value. Theirs: {0} / yours: {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="252"/>
        <source>ほかの人が変更しました</source>
        <translation>Changed by someone else</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="254"/>
        <source>{0} の値は、編集中にほかの人が変更しました。</source>
        <translation>Someone else changed the value of {0} while you were editing it.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="258"/>
        <source>相手の値: {0}</source>
        <translation>Their value: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="260"/>
        <source>あなたの値: {0}</source>
        <translation>Your value: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="262"/>
        <source>自分の値で保存</source>
        <translation>Keep mine</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="263"/>
        <source>相手の値を使う</source>
        <translation>Take theirs</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="281"/>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="381"/>
        <source>保存できません</source>
        <translation>Cannot save</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="290"/>
        <source>サーバーに接続できません</source>
        <translation>Cannot reach the server</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="519"/>
        <source>保存しました: {0} = {1}</source>
        <translation>Saved: {0} = {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="521"/>
        <source>{0} 件を保存しました</source>
        <translation>Saved {0} values</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="579"/>
        <source>未設定</source>
        <translation>not set</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="584"/>
        <source>最後の行でした。まだ空いている最初のセルへ移りました</source>
        <translation>That was the last row: moved to the first cell still empty</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="587"/>
        <source>最後の行です（次に入力するとこのセルの値を上書きします）</source>
        <translation>This is the last row (typing again replaces this cell&apos;s value)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="592"/>
        <source>空欄にする</source>
        <translation>Leave empty</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="599"/>
        <source>値を消去</source>
        <translation>Clear value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="595"/>
        <source>消去した後の状態:</source>
        <translation>After clearing:</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_reasons.py" line="56"/>
        <source>過去の年度は読み取り専用です。入力できるのは {0} の列です</source>
        <translation>Earlier years are read-only. Values are entered in the {0} column</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_reasons.py" line="52"/>
        <source>この年度はまだ入力できません。入力できるのは {0} の列です</source>
        <translation>This year cannot be entered yet. Values are entered in the {0} column</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="97"/>
        <source>（うち {0} 件は単位未設定で値を入力できません: Delete で未集計・該当なしなどを記録）</source>
        <translation> ({0} of them have no unit and take no value: record not compiled, not applicable, … with Delete)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="621"/>
        <source>{0} を消去します。</source>
        <translation>Clear {0}.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="623"/>
        <source>選んだ {0} 個のセル（{1}）を消去します。</source>
        <translation>Clear the {0} selected cells ({1}).</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="649"/>
        <source>消去（{0} 件）</source>
        <translation>Clear ({0} cells)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="651"/>
        <source>{0} 個のセルは消去できませんでした: {1}</source>
        <translation>{0} cell(s) could not be cleared: {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="714"/>
        <source>{0}は確定済みのため、確定より前の入力は元に戻せません。値を直すときは「確定を取り消す」を押してから入力してください</source>
        <translation>{0} is finalised, so entries made before finalising cannot be undone. To change a value, press “Withdraw finalisation” first, then enter it</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="718"/>
        <source>元に戻せる操作はありません</source>
        <translation>Nothing to undo</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="720"/>
        <source>やり直せる操作はありません</source>
        <translation>Nothing to redo</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_reasons.py" line="24"/>
        <source>まだ読み込んでいます（全 {0:,} 件のうち先頭の {1:,} 件を表示中）。すべて読み込むと入力できます</source>
        <translation>Still reading (showing the first {1:,} of {0:,} indicators). Values can be entered once all are in</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_reasons.py" line="47"/>
        <source>{0}は確定済みです。値を変更するには「確定を取り消す」を押してください</source>
        <translation>{0} is finalised. To change a value, press “Withdraw finalisation” first</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_reasons.py" line="60"/>
        <source>この指標は他の課の担当です（読み取り専用）</source>
        <translation>This indicator belongs to another department (read-only)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_reasons.py" line="63"/>
        <source>この列は入力できません。値は {0} の列に入力します</source>
        <translation>This column cannot be entered. Values are entered in the {0} column</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_controller.py" line="769"/>
        <source>コメントは入力済みのセルに付けられます</source>
        <translation>A comment can be added to a cell that has a value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_reasons.py" line="35"/>
        <source>読み取り専用で開いています。入力は、このデータベースを開いているもう一つのウィンドウでしてください</source>
        <translation>Opened read-only: enter values in the other window that has this database open</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_reasons.py" line="41"/>
        <source>{0}は締め切られています（年度ロック）。入力できません。解除は企画担当課に依頼してください</source>
        <translation>{0} is closed (year locked): nothing can be entered. Ask the planning division to unlock it</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/entry_reasons.py" line="30"/>
        <source>この計画期は終了しています（最終評価済み）。値は変更できません（読み取り専用）</source>
        <translation>This plan generation is closed (final evaluation written). Values cannot change (read-only)</translation>
    </message>
</context>
<context>
    <name>EvaluationDialog</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="76"/>
        <source>施策評価（{0}）</source>
        <translation>Measure evaluation ({0})</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="95"/>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="106"/>
        <source>（未記入）</source>
        <translation>(not filled in)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="103"/>
        <source>この1年の成果と、見えてきた課題</source>
        <translation>This year&apos;s results and the issues that emerged</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="111"/>
        <source>今後の方向性の説明</source>
        <translation>What the next step means in practice</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="114"/>
        <source>企画担当課が記入します</source>
        <translation>Written by the planning division</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="123"/>
        <source>指標の評価</source>
        <translation>Indicator grades</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="124"/>
        <source>自己評価</source>
        <translation>Self-evaluation</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="125"/>
        <source>成果と課題</source>
        <translation>Results and issues</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="126"/>
        <source>今後の方向性</source>
        <translation>Next step</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="127"/>
        <source>方向性の説明</source>
        <translation>Next-step details</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="128"/>
        <source>評価者のコメント</source>
        <translation>Reviewer&apos;s comment</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="135"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="138"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="184"/>
        <source>{0}は締め切られています（年度ロック）。施策評価は表示のみで、変更できません</source>
        <translation>{0} is closed (locked): the evaluations are shown but cannot change</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="206"/>
        <source>（計画に記載なし）</source>
        <translation>(not stated in the plan)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="209"/>
        <source>目指す姿: {0}</source>
        <translation>Aim: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="213"/>
        <source>なし</source>
        <translation>none</translation>
    </message>
    <message>
        <source>{0}（目安 {1}）</source>
        <translation type="vanished">{0} (suggests {1})</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="275"/>
        <source>保存できません</source>
        <translation>Cannot save</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="279"/>
        <source>保存しました: {0}</source>
        <translation>Saved: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="281"/>
        <source>変更はありません</source>
        <translation>Nothing changed</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/evaluation_dialog.py" line="214"/>
        <source>目安: {0}</source>
        <translation>Suggested: {0}</translation>
    </message>
</context>
<context>
    <name>ExchangeActions</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="362"/>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="412"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="178"/>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="217"/>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="257"/>
        <source>確定する</source>
        <translation>Finalise</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="258"/>
        <source>この年度の値を確定します（確定後は値を変更できません）</source>
        <translation>Finalise this year&apos;s values (they cannot change once finalised)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="218"/>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="257"/>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="357"/>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="362"/>
        <source>確定を取り消す</source>
        <translation>Withdraw finalisation</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="220"/>
        <source>提出用ブックを書き出す…</source>
        <translation>Export submission workbook…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="230"/>
        <source>提出ブックを取り込む…</source>
        <translation>Merge submission workbooks…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="232"/>
        <source>記入用テンプレートを書き出す…</source>
        <translation>Export fill-in template…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="235"/>
        <source>集約ブックを作成…</source>
        <translation>Create consolidated workbook…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="293"/>
        <source>{0}は確定済み（{1}、{2}）。値を変更するには「確定を取り消す」を押してください。</source>
        <translation>{0} is finalised ({1}, {2}). To change values, press “Withdraw finalisation”.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="340"/>
        <source>確定できません</source>
        <translation>Cannot finalise</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="347"/>
        <source>{0}を確定しました</source>
        <translation>{0} finalised</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="359"/>
        <source>{0}の確定を取り消します。値を変更できるようになります。提出済みの場合は、変更後にもう一度確定して提出し直してください。</source>
        <translation>Withdraw the finalisation of {0}? Its values can then be changed. If it was already submitted, finalise and submit it again after the changes.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="383"/>
        <source>{0}の確定を取り消しました</source>
        <translation>Finalisation of {0} withdrawn</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="403"/>
        <source>提出用ブックを書き出す</source>
        <translation>Export submission workbook</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="405"/>
        <source>{0}はまだ確定していません。確定してから書き出しますか、下書きとして書き出しますか？（下書きは全シートに「下書き」と表示されます）</source>
        <translation>{0} is not finalised yet. Finalise it and export, or export a draft? (A draft is marked as such on every sheet.)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="410"/>
        <source>確定してから書き出す</source>
        <translation>Finalise, then export</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="411"/>
        <source>下書きとして書き出す</source>
        <translation>Export as draft</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="422"/>
        <source>提出_{0}_{1}.xlsx</source>
        <translation>submission_{0}_{1}.xlsx</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="424"/>
        <source>_下書き</source>
        <translation>_draft</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="425"/>
        <source>提出用ブックの保存先</source>
        <translation>Save the submission workbook</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="451"/>
        <source>提出用ブックを書き出しました（{0} 行）: {1}</source>
        <translation>Submission workbook written ({0} rows): {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="455"/>
        <source>下書きの</source>
        <translation>Draft: </translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="458"/>
        <source>提出用ブックを書き出しています…</source>
        <translation>Writing the submission workbook…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="468"/>
        <source>取り込む提出ブックを選ぶ</source>
        <translation>Choose submission workbooks to merge</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="470"/>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="769"/>
        <source>Excel ブック (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="522"/>
        <source>提出ブックを読み込んでいます（{0} ファイル）…</source>
        <translation>Reading submission workbooks ({0} files)…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="545"/>
        <source>取り込みをやめました（何も書き込んでいません）</source>
        <translation>Merge cancelled (nothing written)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="592"/>
        <source>取り込んでいます…</source>
        <translation>Merging…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="605"/>
        <source>{0} ファイルを取り込みました</source>
        <translation>{0} file(s) merged</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="623"/>
        <source>記入用_{0}_{1}.xlsx</source>
        <translation>template_{0}_{1}.xlsx</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="626"/>
        <source>記入用テンプレートの保存先</source>
        <translation>Save the fill-in template</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="645"/>
        <source>記入用テンプレートを書き出しました: {0}</source>
        <translation>Fill-in template written: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="648"/>
        <source>記入用テンプレートを書き出しています…</source>
        <translation>Writing the fill-in template…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="656"/>
        <source>集約ブックの保存先</source>
        <translation>Save the consolidated workbook</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="656"/>
        <source>集約_{0}.xlsx</source>
        <translation>consolidated_{0}.xlsx</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="674"/>
        <source>集約ブックを作成しました（{0}）: {1}</source>
        <translation>Consolidated workbook written ({0}): {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="679"/>
        <source>集約ブックを作成しています…</source>
        <translation>Writing the consolidated workbook…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="726"/>
        <source>ファイルに書き込めません。Excel などで開いている場合は閉じてから、もう一度お試しください。
{0}</source>
        <translation>Cannot write the file. If it is open in Excel or another program, close it and try again.
{0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="730"/>
        <source>ファイルを読み書きできません: {0}</source>
        <translation>Cannot read or write the file: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="733"/>
        <source>処理できませんでした</source>
        <translation>Could not complete</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="736"/>
        <source>キャンセルしました（何も書き込んでいません）</source>
        <translation>Cancelled (nothing written)</translation>
    </message>
</context>
<context>
    <name>FileDialogs</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/file_dialogs.py" line="48"/>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/file_dialogs.py" line="50"/>
        <source>開く(&amp;O)</source>
        <translation>&amp;Open</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/file_dialogs.py" line="53"/>
        <source>場所(&amp;L):</source>
        <translation>&amp;Look in:</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/file_dialogs.py" line="54"/>
        <source>ファイル名(&amp;N):</source>
        <translation>File &amp;name:</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/file_dialogs.py" line="55"/>
        <source>ファイルの種類(&amp;T):</source>
        <translation>Files of &amp;type:</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/file_dialogs.py" line="57"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/file_dialogs.py" line="67"/>
        <source>フォルダー</source>
        <translation>Folder</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/file_dialogs.py" line="70"/>
        <source>ファイル</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/file_dialogs.py" line="71"/>
        <source>{0} ファイル</source>
        <translation>{0} File</translation>
    </message>
</context>
<context>
    <name>FirstRun</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="119"/>
        <source>はじめに — 総合計画のカタログ</source>
        <translation>Getting started — the plan catalog</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="121"/>
        <source>このデータベースにはまだ総合計画のカタログ（指標の一覧）がありません。どのカタログで始めますか。</source>
        <translation>This database has no plan catalog (the list of indicators) yet. Which catalog do you start from?</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="128"/>
        <source>別の市町村の計画で使うときは、企画担当課が作ったカタログファイルを選んでください。同梱のカタログは読み込まれません。</source>
        <translation>For another municipality&apos;s plan, choose the catalog file the planning division made. The shipped catalog is then not loaded.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="135"/>
        <source>同梱のカタログ（かすみがうら市）で始める</source>
        <translation>Start with the shipped catalog (Kasumigaura)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="139"/>
        <source>カタログファイルを選ぶ…</source>
        <translation>Choose a catalog file…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="143"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="157"/>
        <source>カタログファイルを選ぶ</source>
        <translation>Choose a catalog file</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="159"/>
        <source>カタログ (*.json *.xlsx)</source>
        <translation>Catalog (*.json *.xlsx)</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="41"/>
        <source>はじめに — kplan-desktop</source>
        <translation>Welcome — kplan-desktop</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="44"/>
        <source>このパソコンを使う課と、実績を入力する年度を選んでください。</source>
        <translation>Choose the department that uses this PC and the fiscal year you are entering.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="46"/>
        <source>担当課として入力する</source>
        <translation>Enter values for a department</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="47"/>
        <source>企画担当課（全課の集約）</source>
        <translation>Planning division (all departments)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="69"/>
        <source>担当課</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/first_run.py" line="71"/>
        <source>入力する年度</source>
        <translation>Fiscal year to enter</translation>
    </message>
</context>
<context>
    <name>GenerationChoice</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/generation_choice.py" line="27"/>
        <source>この計画期は終了しています（最終評価済み）。確定・確定の取り消しはできません。確定済みの値は書き出せます。</source>
        <translation>This plan period has ended (final evaluation done). Years can no longer be finalised or un-finalised; finalised values can still be exported.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/generation_choice.py" line="48"/>
        <source>計画期(&amp;G):</source>
        <translation>Plan &amp;generation:</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/generation_choice.py" line="89"/>
        <source>（終了・読み取り専用）</source>
        <translation> (closed, read-only)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/generation_choice.py" line="121"/>
        <source>準備中の計画です（実施中にするまで各課には表示されません）</source>
        <translation>A draft plan (departments do not see it until it is put in force)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/generation_choice.py" line="138"/>
        <source>{0}は二つの計画期にあります。前回選んだ「{1}」を開きました</source>
        <translation>{0} belongs to two plan periods; opened “{1}”, the one chosen before</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/generation_choice.py" line="141"/>
        <source>{0}を含む「{1}」を開きました（前回は「{2}」）</source>
        <translation>Opened “{1}”, which contains {0} (last time: “{2}”)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/generation_choice.py" line="150"/>
        <source>{0}は終了しています（最終評価済み）。値・評価・カタログは変更できません（読み取り専用）</source>
        <translation>{0} is closed (final evaluation written). Values, evaluations and the catalog cannot change (read-only)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/generation_choice.py" line="182"/>
        <source>切り替えられる計画期はありません</source>
        <translation>There is no other plan generation to switch to</translation>
    </message>
</context>
<context>
    <name>GridFit</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/grid_fit.py" line="302"/>
        <source>先頭の {0:,} 件を表示しています。全 {1:,} 件を読み込んでいます…</source>
        <translation>Showing the first {0:,} indicators; reading all {1:,}…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/grid_fit.py" line="356"/>
        <source>未設定</source>
        <translation>not set</translation>
    </message>
</context>
<context>
    <name>IndicatorTableModel</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="304"/>
        <source>コード</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="305"/>
        <source>指標名</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="306"/>
        <source>単位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="307"/>
        <source>区分</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="308"/>
        <source>基準値</source>
        <translation>Baseline</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="309"/>
        <source>目標</source>
        <translation>Target</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="310"/>
        <source>達成率</source>
        <translation>Achievement</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="311"/>
        <source>評価</source>
        <translation>Grade</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="378"/>
        <source>未設定</source>
        <translation>not set</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="382"/>
        <source>（名称未設定）</source>
        <translation>(name not set)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="389"/>
        <source>達成</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="391"/>
        <source>活動</source>
        <translation>Activity</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="404"/>
        <source>以上</source>
        <translation> or more</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="406"/>
        <source>以下</source>
        <translation> or less</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="467"/>
        <source>貼り付けた値「{0}」は保存していません: {1}</source>
        <translation>The pasted value &quot;{0}&quot; is not saved: {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="470"/>
        <source>保存されている値: {0}</source>
        <translation>Stored value: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="476"/>
        <source>コメント: {0}</source>
        <translation>Comment: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="482"/>
        <source>欠測理由: {0}</source>
        <translation>Missing: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="312"/>
        <source>進捗状況</source>
        <translation>Progress</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/models/indicator_table.py" line="313"/>
        <source>担当課</source>
        <translation>Department</translation>
    </message>
</context>
<context>
    <name>KeyActions</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="43"/>
        <source>署名鍵を書き出す…</source>
        <translation>Export signing key…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="47"/>
        <source>課の署名鍵を登録…</source>
        <translation>Register a department&apos;s signing key…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="48"/>
        <source>登録済みの署名鍵…</source>
        <translation>Registered signing keys…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="65"/>
        <source>署名鍵（公開鍵）の保存先</source>
        <translation>Save the signing key (public key) as</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="67"/>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="102"/>
        <source>kplan の鍵ファイル (*.kplan-key)</source>
        <translation>kplan key files (*.kplan-key)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="82"/>
        <source>署名鍵（公開鍵）を書き出しました: {0}（指紋 {1}）。企画担当課へ渡してください</source>
        <translation>Signing key (public key) written: {0} (fingerprint {1}). Give it to the planning division</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="100"/>
        <source>登録する署名鍵のファイルを選ぶ</source>
        <translation>Choose the signing key file to register</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="122"/>
        <source>課の署名鍵を置き換える</source>
        <translation>Replace a department&apos;s signing key</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="124"/>
        <source>{0} のこの端末には別の鍵が登録されています（指紋 {1}）。新しい鍵（指紋 {2}）に置き換えると、以前の鍵で署名されたファイルは取り込めなくなります。課が鍵を作り直したことを確かめましたか？置き換えますか？</source>
        <translation>Another key is registered for this installation of {0} (fingerprint {1}). If it is replaced with the new key (fingerprint {2}), files signed with the earlier key can no longer be merged. Have you confirmed that the department made a new key? Replace it?</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="139"/>
        <source>課の署名鍵を登録</source>
        <translation>Register a department&apos;s signing key</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="141"/>
        <source>{0} の署名鍵を登録します。
端末（データベースID）: {1}
指紋: {2}

課から聞いた指紋と同じか確かめてください。登録すると、この課の提出ブックはこの鍵の署名がなければ取り込めなくなります。登録しますか？</source>
        <translation>Register the signing key of {0}.
Installation (database ID): {1}
Fingerprint: {2}

Check that the fingerprint is the one the department told you. Once registered, this department&apos;s submissions can be merged only when signed with this key. Register it?</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="161"/>
        <source>{0} の署名鍵を登録しました（指紋 {1}）</source>
        <translation>Registered the signing key of {0} (fingerprint {1})</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="189"/>
        <source>署名鍵</source>
        <translation>Signing keys</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="242"/>
        <source>企画担当課</source>
        <translation>Planning division</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="246"/>
        <source>kplan-desktop — 総合計画の進行管理</source>
        <translation>kplan-desktop — comprehensive plan progress</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="248"/>
        <source>（読み取り専用）</source>
        <translation> (read-only)</translation>
    </message>
    <message>
        <source>入力中のコメント「{0}」は保存できませんでした。保存せずに終了しますか？</source>
        <translation type="vanished">The comment being typed, &quot;{0}&quot;, could not be saved. Quit without saving it?</translation>
    </message>
    <message>
        <source>計画体系</source>
        <translation type="vanished">Plan</translation>
    </message>
    <message>
        <source>未入力</source>
        <translation type="vanished">Missing</translation>
    </message>
    <message>
        <source>指標名・コードで検索 (Ctrl+F)</source>
        <translation type="vanished">Search name or code (Ctrl+F)</translation>
    </message>
    <message>
        <source>未入力のみ</source>
        <translation type="vanished">Missing only</translation>
    </message>
    <message>
        <source>エラー・警告のみ</source>
        <translation type="vanished">Errors and warnings only</translation>
    </message>
    <message>
        <source>全課を表示</source>
        <translation type="vanished">All departments</translation>
    </message>
    <message>
        <source>コメント（警告がある値には理由が必要です）</source>
        <translation type="vanished">Comment (a value with warnings needs a reason)</translation>
    </message>
    <message>
        <source>コメントを保存</source>
        <translation type="vanished">Save comment</translation>
    </message>
    <message>
        <source>入力</source>
        <translation type="vanished">Entry</translation>
    </message>
    <message>
        <source>ダッシュボード</source>
        <translation type="vanished">Dashboard</translation>
    </message>
    <message>
        <source>計画横断</source>
        <translation type="vanished">Plans</translation>
    </message>
    <message>
        <source>ファイル(&amp;F)</source>
        <translation type="vanished">&amp;File</translation>
    </message>
    <message>
        <source>終了</source>
        <translation type="vanished">Quit</translation>
    </message>
    <message>
        <source>編集(&amp;E)</source>
        <translation type="vanished">&amp;Edit</translation>
    </message>
    <message>
        <source>元に戻す</source>
        <translation type="vanished">Undo</translation>
    </message>
    <message>
        <source>やり直す</source>
        <translation type="vanished">Redo</translation>
    </message>
    <message>
        <source>貼り付け</source>
        <translation type="vanished">Paste</translation>
    </message>
    <message>
        <source>値を消去…</source>
        <translation type="vanished">Clear value…</translation>
    </message>
    <message>
        <source>検索</source>
        <translation type="vanished">Find</translation>
    </message>
    <message>
        <source>表示(&amp;V)</source>
        <translation type="vanished">&amp;View</translation>
    </message>
    <message>
        <source>再読み込み</source>
        <translation type="vanished">Reload</translation>
    </message>
    <message>
        <source>言語</source>
        <translation type="vanished">Language</translation>
    </message>
    <message>
        <source>評価(&amp;R)</source>
        <translation type="vanished">&amp;Review</translation>
    </message>
    <message>
        <source>施策評価…</source>
        <translation type="vanished">Measure evaluation…</translation>
    </message>
    <message>
        <source>カタログ(&amp;C)</source>
        <translation type="vanished">&amp;Catalog</translation>
    </message>
    <message>
        <source>集約(&amp;A)</source>
        <translation type="vanished">&amp;Aggregate</translation>
    </message>
    <message>
        <source>全課の入力状況</source>
        <translation type="vanished">Progress of all departments</translation>
    </message>
    <message>
        <source>ヘルプ(&amp;H)</source>
        <translation type="vanished">&amp;Help</translation>
    </message>
    <message>
        <source>キー操作</source>
        <translation type="vanished">Keyboard</translation>
    </message>
    <message>
        <source>バージョン情報</source>
        <translation type="vanished">About</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="439"/>
        <source>指標を読み込んでいます…</source>
        <translation>Loading indicators…</translation>
    </message>
    <message>
        <source>キャンセル</source>
        <translation type="vanished">Cancel</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="515"/>
        <source>読み込めません</source>
        <translation>Cannot load</translation>
    </message>
    <message>
        <source>基本目標{0} {1}</source>
        <translation type="vanished">Goal {0} {1}</translation>
    </message>
    <message>
        <source>エラー {0} 件、コメント待ちの警告 {1} 件、未入力 {2} 件</source>
        <translation type="vanished">{0} errors, {1} warnings without a comment, {2} missing</translation>
    </message>
    <message>
        <source>{0} の入力</source>
        <translation type="vanished">Entry of {0}</translation>
    </message>
    <message>
        <source>ほかの人が保存した値を使います: {0}</source>
        <translation type="vanished">Using the value someone else saved: {0}</translation>
    </message>
    <message>
        <source>（なし）</source>
        <translation type="vanished">(none)</translation>
    </message>
    <message>
        <source>（空欄）</source>
        <translation type="vanished">(empty)</translation>
    </message>
    <message>
        <source>この値はほかの人が変更しました。相手の値: {0} / あなたの値: {1}</source>
        <translation type="vanished">Someone else changed this value. Theirs: {0} / yours: {1}</translation>
    </message>
    <message>
        <source>ほかの人が変更しました</source>
        <translation type="vanished">Changed by someone else</translation>
    </message>
    <message>
        <source>{0} の値は、編集中にほかの人が変更しました。</source>
        <translation type="vanished">Someone else changed the value of {0} while you were editing it.</translation>
    </message>
    <message>
        <source>相手の値: {0}</source>
        <translation type="vanished">Their value: {0}</translation>
    </message>
    <message>
        <source>あなたの値: {0}</source>
        <translation type="vanished">Your value: {0}</translation>
    </message>
    <message>
        <source>自分の値で保存</source>
        <translation type="vanished">Keep mine</translation>
    </message>
    <message>
        <source>相手の値を使う</source>
        <translation type="vanished">Take theirs</translation>
    </message>
    <message>
        <source>保存できません</source>
        <translation type="vanished">Cannot save</translation>
    </message>
    <message>
        <source>サーバーに接続できません</source>
        <translation type="vanished">Cannot reach the server</translation>
    </message>
    <message>
        <source>ほかの人が変更した {0} 件の指標を表示しました</source>
        <translation type="vanished">Showing {0} indicators someone else changed</translation>
    </message>
    <message>
        <source>コメントが必要です</source>
        <translation type="vanished">A comment is needed</translation>
    </message>
    <message>
        <source>次の警告があります。理由を入力してください:</source>
        <translation type="vanished">This value has warnings. Please give the reason:</translation>
    </message>
    <message>
        <source>保存しました: {0} = {1}</source>
        <translation type="vanished">Saved: {0} = {1}</translation>
    </message>
    <message>
        <source>{0} 件を保存しました</source>
        <translation type="vanished">Saved {0} values</translation>
    </message>
    <message>
        <source>空欄にする</source>
        <translation type="vanished">Leave empty</translation>
    </message>
    <message>
        <source>値を消去</source>
        <translation type="vanished">Clear value</translation>
    </message>
    <message>
        <source>消去した後の状態:</source>
        <translation type="vanished">After clearing:</translation>
    </message>
    <message>
        <source>貼り付けできません（セルを選ぶか、範囲を小さくしてください）</source>
        <translation type="vanished">Cannot paste (select a cell, or paste a smaller block)</translation>
    </message>
    <message>
        <source>{0}行{1}列「{2}」: 入力できないセルです</source>
        <translation type="vanished">Row {0}, column {1} &quot;{2}&quot;: this cell cannot be edited</translation>
    </message>
    <message>
        <source>貼り付け（{0} 件）</source>
        <translation type="vanished">Paste ({0} values)</translation>
    </message>
    <message>
        <source>貼り付けできなかったセル</source>
        <translation type="vanished">Cells not pasted</translation>
    </message>
    <message>
        <source>{0} 個のセルは保存していません。</source>
        <translation type="vanished">{0} cells were not saved.</translation>
    </message>
    <message>
        <source>コメントは入力済みのセルに付けられます</source>
        <translation type="vanished">A comment can be added to a cell that has a value</translation>
    </message>
    <message>
        <source>文字を入力: 編集開始
Enter: 保存して下へ
Tab: 保存して右へ
Ctrl+V: Excel から貼り付け
Delete: 値を消去（欠測理由を選択）
Ctrl+Z / Ctrl+Y: 元に戻す / やり直す
Ctrl+F: 検索
F5: 再読み込み
Ctrl+Shift+H: 施策評価</source>
        <translation type="vanished">Type: start editing
Enter: save and move down
Tab: save and move right
Ctrl+V: paste from Excel
Delete: clear a value (choose a missing reason)
Ctrl+Z / Ctrl+Y: undo / redo
Ctrl+F: find
F5: reload
Ctrl+Shift+H: Measure evaluation</translation>
    </message>
    <message>
        <source>未設定</source>
        <translation type="vanished">not set</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/main_window.py" line="153"/>
        <source>読み込んでいます…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>目指す姿</source>
        <translation type="vanished">Aim (in five years)</translation>
    </message>
    <message>
        <source>指標の説明</source>
        <translation type="vanished">About the indicator</translation>
    </message>
    <message>
        <source>履歴</source>
        <translation type="vanished">History</translation>
    </message>
    <message>
        <source>貼り付けた値「{0}」は保存していません: {1}</source>
        <translation type="vanished">The pasted value “{0}” is not saved: {1}</translation>
    </message>
    <message>
        <source>（{0} / {1} 件目。Esc で残りも保存せずに終わります）</source>
        <translation type="vanished">({0} of {1}; Esc stops here and saves none of the rest)</translation>
    </message>
    <message>
        <source>（コメント待ち: コメントがないため保存していません。コメントを付けて入力してください）</source>
        <translation type="vanished"> (awaiting a comment: not saved without one; enter it with a comment)</translation>
    </message>
    <message>
        <source>（名称未設定）</source>
        <translation type="vanished">(name not set)</translation>
    </message>
    <message>
        <source>単位: {0}&#x3000;方向: {1}&#x3000;比較: {2}&#x3000;累計: {3}</source>
        <translation type="vanished">Unit: {0}  Direction: {1}  Comparator: {2}  Cumulative: {3}</translation>
    </message>
    <message>
        <source>はい</source>
        <translation type="vanished">yes</translation>
    </message>
    <message>
        <source>いいえ</source>
        <translation type="vanished">no</translation>
    </message>
    <message>
        <source>この指標の変更記録はまだありません</source>
        <translation type="vanished">No changes recorded for this indicator yet</translation>
    </message>
    <message>
        <source>⚠ 警告があります。理由をコメントに記入して保存してください。</source>
        <translation type="vanished">⚠ This value has warnings. Write the reason in the comment and save it.</translation>
    </message>
    <message>
        <source>表示言語は次回の起動から切り替わります</source>
        <translation type="vanished">The language changes the next time the program starts</translation>
    </message>
    <message>
        <source>Ctrl+I: 提出ブックを取り込む（ファイルをウィンドウにドロップしても可）
Ctrl+T: 記入用テンプレートを書き出す
Ctrl+Shift+E: 集約ブックを作成</source>
        <translation type="vanished">Ctrl+I: merge submission workbooks (or drop the files on the window)
Ctrl+T: export a fill-in template
Ctrl+Shift+E: create the consolidated workbook</translation>
    </message>
    <message>
        <source>Ctrl+E: 提出用ブックを書き出す</source>
        <translation type="vanished">Ctrl+E: export the submission workbook</translation>
    </message>
    <message>
        <source>kplan-desktop {0}
データベース: {1}</source>
        <translation type="vanished">kplan-desktop {0}
Database: {1}</translation>
    </message>
    <message>
        <source>コピー</source>
        <translation type="vanished">Copy</translation>
    </message>
    <message>
        <source>詳細パネル</source>
        <translation type="vanished">Detail panel</translation>
    </message>
    <message>
        <source>終了の確認</source>
        <translation type="vanished">Quit?</translation>
    </message>
    <message>
        <source>kplan-desktop を終了しますか？（入力した値は保存済みです）</source>
        <translation type="vanished">Quit kplan-desktop? (the values you entered are saved)</translation>
    </message>
    <message>
        <source>（警告があるため、コメントを付けて入力してください）</source>
        <translation type="vanished"> (it has warnings: type it with a comment)</translation>
    </message>
    <message>
        <source>{0} 個のセルは保存していません（表では赤で示しています）。ほかのセルは保存しました。</source>
        <translation type="vanished">{0} cell(s) were not saved (shown in red in the grid). The other cells were saved.</translation>
    </message>
    <message>
        <source>{0} 行 × {1} 列をコピーしました</source>
        <translation type="vanished">Copied {0} rows × {1} columns</translation>
    </message>
    <message>
        <source>入力中の値「{0}」はまだ保存していません。保存せずに終了しますか？</source>
        <translation type="vanished">The value “{0}” you are typing is not saved yet. Quit without saving it?</translation>
    </message>
    <message>
        <source>{0}「{1}」: 入力できないセルです</source>
        <translation type="vanished">{0} “{1}”: this cell cannot be entered</translation>
    </message>
    <message>
        <source>表の外</source>
        <translation type="vanished">Outside the table</translation>
    </message>
    <message>
        <source>{0} 個のセルは保存していません（表では赤で示しています）。ほかの {1} 個のセルは保存しました。</source>
        <translation type="vanished">{0} cell(s) were not saved (marked red in the table). The other {1} cell(s) were saved.</translation>
    </message>
    <message>
        <source>{0} 個のセルは保存していません（表では赤で示しています）。保存したセルはありません。</source>
        <translation type="vanished">{0} cell(s) were not saved (marked red in the table). No cell was saved.</translation>
    </message>
    <message>
        <source>過去の年度は読み取り専用です。入力できるのは {0} の列です</source>
        <translation type="vanished">Earlier years are read-only. Values are entered in the {0} column</translation>
    </message>
    <message>
        <source>この年度はまだ入力できません。入力できるのは {0} の列です</source>
        <translation type="vanished">This year cannot be entered yet. Values are entered in the {0} column</translation>
    </message>
    <message>
        <source>この指標は他の課の担当です（読み取り専用）</source>
        <translation type="vanished">This indicator belongs to another department (read-only)</translation>
    </message>
    <message>
        <source>この列は入力できません。値は {0} の列に入力します</source>
        <translation type="vanished">This column cannot be entered. Values are entered in the {0} column</translation>
    </message>
    <message>
        <source>（終了・読み取り専用）</source>
        <translation type="vanished"> (closed, read-only)</translation>
    </message>
</context>
<context>
    <name>MergePreviewDialog</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="72"/>
        <source>提出ブックの取り込み — 確認</source>
        <translation>Merge submission workbooks — preview</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="101"/>
        <source>変更なしの行を隠す</source>
        <translation>Hide unchanged rows</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="103"/>
        <source>選んだ競合: ファイルの値を採る</source>
        <translation>Selected conflicts: take the file&apos;s value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="105"/>
        <source>選んだ競合: データベースの値を残す</source>
        <translation>Selected conflicts: keep the database&apos;s value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="116"/>
        <source>有効な行だけ取り込む</source>
        <translation>Merge only the valid rows</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="119"/>
        <source>却下された行があるファイルは、ふだんは何も書き込みません。チェックすると、そのファイルの有効な行だけを書き込みます。</source>
        <translation>A file with rejected rows normally writes nothing. When checked, its valid rows are written.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="143"/>
        <source>取り込む</source>
        <translation>Merge</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="146"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="220"/>
        <source>署名で確認できないファイルも受け入れる（データベースと違う値はすべて競合）</source>
        <translation>Accept files no signature vouches for (every value differing from the database is a conflict)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="235"/>
        <source>署名で確認できないファイル</source>
        <translation>Files no signature vouches for</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="237"/>
        <source>次のファイルは、登録された鍵の署名で確認できません（署名がない・一致しない・登録されていない端末から）:
{0}

受け入れると、ファイルの版の情報は信用せず、データベースと違う値はすべて競合になります（上書きしません）。課に確かめたうえで受け入れますか？</source>
        <translation>These files are not vouched for by a registered key&apos;s signature (none, one that does not match, or from an unregistered installation):
{0}

If accepted, their revision claims are not trusted and every value that differs from the database is a conflict (nothing is overwritten). Accept them after checking with the department?</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="271"/>
        <source>提出ブック</source>
        <translation>Submission workbook</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="272"/>
        <source>提出ブック（別のソフトで保存）</source>
        <translation>Submission workbook (re-saved by another program)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="273"/>
        <source>提出ブック（プログラムの外で編集）</source>
        <translation>Submission workbook (edited outside the program)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="274"/>
        <source>記入用テンプレート</source>
        <translation>Fill-in template</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="307"/>
        <source>読み込めません（このファイルは取り込みません）</source>
        <translation>Cannot be read (this file is not merged)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="329"/>
        <source>同じ指標・年度の行を含むファイルが複数あります（{0} 件）。先のファイルを書き込んだあと、後のファイルは書き込めないことがあります。その場合はもう一度取り込んでください。</source>
        <translation>Several files hold rows for the same indicator and year ({0}). Once the first file is written, a later one may be refused; if so, merge it again.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="358"/>
        <source>{0} ファイル、{1} 行</source>
        <translation>{0} file(s), {1} rows</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="360"/>
        <source>{0} ファイル（{1} 件は取り込めません）</source>
        <translation>{0} file(s) ({1} cannot be merged)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="361"/>
        <source>{0} ファイル（{1} 件は取り込めません）、{2} 行</source>
        <translation>{0} file(s) ({1} cannot be merged), {2} rows</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="374"/>
        <source>競合 {0} 件のうち未決定 {1} 件（未決定の行は書き込みません）</source>
        <translation>{1} of {0} conflict(s) undecided (undecided rows are not written)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="381"/>
        <source>⚠ 却下された行のあるファイル {0} 件は何も書き込みません（「有効な行だけ取り込む」で有効な行を書き込めます）</source>
        <translation>⚠ {0} file(s) with rejected rows will write nothing (check “Merge only the valid rows” to write their valid rows)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="125"/>
        <source>コメントのない警告を承知で取り込む（未説明の警告として残す）</source>
        <translation>Merge rows whose warnings have no comment (kept as unexplained warnings)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="130"/>
        <source>入力画面ならコメントを求める警告（桁違い、前年からの大きな変化など）があり、ファイルにコメントがない行があると、そのファイルは何も書き込みません。チェックすると、値をそのまま書き込み、未説明の警告として残します。</source>
        <translation>A file with a row whose warning (a scale slip, a large change from last year, …) would need a comment in the entry window, and has none in the file, writes nothing. When checked, such values are written as they are and kept as unexplained warnings.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="298"/>
        <source>すべてのファイル</source>
        <translation>All files</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview.py" line="389"/>
        <source>⚠ コメントのない警告がある行 {0} 件: そのファイル {1} 件は何も書き込みません（「コメントのない警告を承知で取り込む」で書き込めます）</source>
        <translation>⚠ {0} row(s) with warnings and no comment: their {1} file(s) will write nothing (check “Merge rows whose warnings have no comment” to write them)</translation>
    </message>
</context>
<context>
    <name>MergePreviewModel</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="205"/>
        <source>ファイル</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="206"/>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="207"/>
        <source>指標</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="208"/>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="209"/>
        <source>結果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="210"/>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="211"/>
        <source>ファイルの値</source>
        <translation>File value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="212"/>
        <source>データベースの値</source>
        <translation>Database value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="213"/>
        <source>競合の扱い</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="227"/>
        <source>新規</source>
        <translation>New</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="229"/>
        <source>更新</source>
        <translation>Updated</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="231"/>
        <source>変更なし</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="233"/>
        <source>競合</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="235"/>
        <source>却下</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="239"/>
        <source>未決定（書き込まない）</source>
        <translation>Undecided (not written)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="240"/>
        <source>ファイルの値を採る</source>
        <translation>Take the file&apos;s value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="241"/>
        <source>データベースの値を残す</source>
        <translation>Keep the database&apos;s value</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="280"/>
        <source>クリックして、どちらの値を採るか選びます</source>
        <translation>Click to choose which value to keep</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="291"/>
        <source>⚠ 警告（コメントなし）</source>
        <translation>⚠ Warning (no comment)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_preview_model.py" line="354"/>
        <source>{0}（入力: {1}）</source>
        <translation>{0} (typed: {1})</translation>
    </message>
</context>
<context>
    <name>MergeSummaryDialog</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_summary.py" line="50"/>
        <source>取り込みの結果</source>
        <translation>Merge result</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_summary.py" line="54"/>
        <source>読み込めません</source>
        <translation>Cannot be read</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_summary.py" line="56"/>
        <source>取り込めません: {0}</source>
        <translation>Not merged: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_summary.py" line="65"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_summary.py" line="71"/>
        <source>{0} ファイルのうち {1} ファイルを書き込みました。</source>
        <translation>{1} of {0} file(s) written.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_summary.py" line="89"/>
        <source>書き込みました</source>
        <translation>Written</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_summary.py" line="91"/>
        <source>値の変更はありません（受け取ったことを記録しました）</source>
        <translation>No values changed (the file is recorded as received)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_summary.py" line="94"/>
        <source>。未決定の競合 {0} 件は書き込んでいません</source>
        <translation>; {0} undecided conflict(s) not written</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_summary.py" line="96"/>
        <source>却下された行があるため、何も書き込んでいません</source>
        <translation>Rows were rejected, so nothing was written</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_summary.py" line="102"/>
        <source>書き込む変更はありません（取り込み済み）</source>
        <translation>Nothing to write (already merged)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_summary.py" line="108"/>
        <source>ファイル</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_summary.py" line="109"/>
        <source>書き込み</source>
        <translation>Written</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_summary.py" line="109"/>
        <source>説明</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_summary.py" line="113"/>
        <source>済み</source>
        <translation>yes</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_summary.py" line="113"/>
        <source>なし</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/merge_summary.py" line="98"/>
        <source>コメントのない警告がある行 {0} 件のため、何も書き込んでいません</source>
        <translation>{0} row(s) have warnings without a comment, so nothing was written</translation>
    </message>
</context>
<context>
    <name>NextPlanActions</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="673"/>
        <source>次期計画の作成…</source>
        <translation>Create the next plan…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="674"/>
        <source>準備中の計画を実施中にする…</source>
        <translation>Put the draft plan in force…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="675"/>
        <source>準備中の計画を取り下げる…</source>
        <translation>Withdraw the draft plan…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="700"/>
        <source>次期計画の作成</source>
        <translation>Create the next plan</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="711"/>
        <source>次期計画（計画期 {0}）を準備中として作りました。取り消すには「カタログ › 準備中の計画を取り下げる」</source>
        <translation>The next plan (generation {0}) was made as a draft. To take it back: Catalog › Withdraw the draft plan</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="717"/>
        <source>次期計画（計画期 {0}）をファイルから読み込みました</source>
        <translation>The next plan (generation {0}) was read from the file</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="719"/>
        <source>次期計画の作成をやめました（何も書き込んでいません）</source>
        <translation>The next plan was not created (nothing was written)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="727"/>
        <source>準備中の計画期を表示してから選んでください（表示 › 計画期を切り替える）</source>
        <translation>Show the draft plan generation first (View › Switch plan generation)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="749"/>
        <source>準備中の計画を実施中にする</source>
        <translation>Put the draft plan in force</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="750"/>
        <source>{0}を実施中にします。各課の画面にも表示されます。よろしいですか？</source>
        <translation>{0} will be put in force and shown to every department. Continue?</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="760"/>
        <source>実施中にできません</source>
        <translation>Cannot put it in force</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="762"/>
        <source>{0}を実施中にしました</source>
        <translation>{0} is in force</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="774"/>
        <source>準備中の計画を取り下げる</source>
        <translation>Withdraw the draft plan</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="776"/>
        <source>{0}（準備中）を取り下げます。カタログと指標の引き継ぎを削除します（記録は監査ログに残ります）。よろしいですか？</source>
        <translation>{0} (draft) will be withdrawn: its catalog and carried-over indicators are removed (the audit log keeps the record). Continue?</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="786"/>
        <source>取り下げられません</source>
        <translation>Cannot withdraw it</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="788"/>
        <source>{0}を取り下げました</source>
        <translation>{0} was withdrawn</translation>
    </message>
</context>
<context>
    <name>NextPlanWizard</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="572"/>
        <source>次期計画の作成</source>
        <translation>Create the next plan</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="575"/>
        <source>&lt; 戻る(&amp;B)</source>
        <translation>&lt; &amp;Back</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="576"/>
        <source>次へ(&amp;N) &gt;</source>
        <translation>&amp;Next &gt;</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="577"/>
        <source>作成する(&amp;F)</source>
        <translation>Create (&amp;F)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="578"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="607"/>
        <source>次期計画を作成しています…</source>
        <translation>Creating the next plan…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="620"/>
        <source>キャンセルしました（何も書き込んでいません）</source>
        <translation>Cancelled (nothing was written)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="635"/>
        <source>次期計画のカタログを選ぶ</source>
        <translation>Choose the next plan’s catalog</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="637"/>
        <source>カタログ (*.xlsx *.json)</source>
        <translation>Catalog (*.xlsx *.json)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="654"/>
        <source>読み込めません</source>
        <translation>Cannot read it</translation>
    </message>
</context>
<context>
    <name>OpenItemsDialog</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="79"/>
        <source>確定できません</source>
        <translation>Cannot finalise</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="83"/>
        <source>{0}はまだ確定できません。残っている項目が {1} 件あります。値を入力するか、未記入の理由・警告へのコメントを付けてから確定してください。</source>
        <translation>{0} cannot be finalised yet: {1} item(s) are still open. Enter the values, or give a reason for a missing value or a comment on a warning, then finalise.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="95"/>
        <source>ダブルクリックでその指標へ移動します</source>
        <translation>Double-click an item to go to its indicator</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="98"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>OpenYearDialog</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="67"/>
        <source>{0}の入力受付</source>
        <translation>Open {0} for entry</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="69"/>
        <source>提出期限を設ける</source>
        <translation>Set a due date</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="83"/>
        <source>提出期限</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="86"/>
        <source>受付を始める</source>
        <translation>Open for entry</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="87"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="106"/>
        <source>提出期限 {0} はすでに{1}日過ぎています</source>
        <translation>The due date {0} is already {1} days past</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="118"/>
        <source>提出期限が過ぎています</source>
        <translation>The due date is past</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="120"/>
        <source>提出期限 {0} はすでに{1}日過ぎています（今日は {2}）。この日付で入力受付を始めますか？</source>
        <translation>The due date {0} is already {1} days past (today is {2}). Open the year for entry with this date?</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/cycle_actions.py" line="75"/>
        <source>例: 2026-06-30 または 20260630</source>
        <translation>e.g. 2026-06-30 or 20260630</translation>
    </message>
</context>
<context>
    <name>PasteController</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/paste.py" line="82"/>
        <source>貼り付けできません（セルを選ぶか、範囲を小さくしてください）</source>
        <translation>Cannot paste (select a cell, or paste a smaller block)</translation>
    </message>
    <message>
        <source>{0}「{1}」: 入力できないセルです</source>
        <translation type="vanished">{0} “{1}”: this cell cannot be entered</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/paste.py" line="102"/>
        <source>表の外です</source>
        <translation>outside the table</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/paste.py" line="105"/>
        <source>{0}「{1}」: 入力できないセルです（{2}）</source>
        <translation>{0} “{1}”: this cell cannot be entered ({2})</translation>
    </message>
    <message>
        <source>貼り付けた値「{0}」は保存していません: {1}</source>
        <translation type="vanished">The pasted value “{0}” is not saved: {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/paste.py" line="174"/>
        <source>貼り付け（{0} 件）</source>
        <translation>Paste ({0} values)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/paste.py" line="276"/>
        <source>（{0} / {1} 件目。Esc で残りも保存せずに終わります）</source>
        <translation>({0} of {1}; Esc stops here and saves none of the rest)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/paste.py" line="306"/>
        <source>表の外</source>
        <translation>Outside the table</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/paste.py" line="323"/>
        <source>（コメント待ち: コメントがないため保存していません。コメントを付けて入力してください）</source>
        <translation> (awaiting a comment: not saved without one; enter it with a comment)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/paste.py" line="335"/>
        <source>空欄のセルは貼り付けていません（値はそのまま。消すときは Delete）: {0}</source>
        <translation>Blank cells were not pasted (the values stay; to clear one, press Delete): {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/paste.py" line="346"/>
        <source>貼り付けできなかったセル</source>
        <translation>Cells not pasted</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/paste.py" line="351"/>
        <source>{0} 個のセルは保存していません（表では赤で示しています）。ほかの {1} 個のセルは保存しました。</source>
        <translation>{0} cell(s) were not saved (marked red in the table). The other {1} cell(s) were saved.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/paste.py" line="356"/>
        <source>{0} 個のセルは保存していません（表では赤で示しています）。保存したセルはありません。</source>
        <translation>{0} cell(s) were not saved (marked red in the table). No cell was saved.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/paste.py" line="415"/>
        <source>{0} 行 × {1} 列をコピーしました</source>
        <translation>Copied {0} rows × {1} columns</translation>
    </message>
</context>
<context>
    <name>PeriodPage</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="128"/>
        <source>1. 新しい計画の名前と期間</source>
        <translation>1. The new plan’s name and period</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="130"/>
        <source>{0}の次の計画を作ります。期間と基準年度を確かめてください。</source>
        <translation>The plan after {0}. Check its period and base year.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="143"/>
        <source>計画の名前(&amp;M)</source>
        <translation>Na&amp;me of the plan</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="144"/>
        <source>最初の年度(&amp;S)</source>
        <translation>&amp;Start year</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="145"/>
        <source>最後の年度(&amp;E)</source>
        <translation>&amp;End year</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="146"/>
        <source>基準年度(&amp;Y)</source>
        <translation>Base &amp;year</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="148"/>
        <source>別に作った計画をファイルから読み込む(&amp;I)…</source>
        <translation>&amp;Import a plan made elsewhere from a file…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="153"/>
        <source>基準年度の実績が継続する指標の基準値になります（まだ入っていなければ「未設定」のまま作り、実績が入った時に自動で入ります）。</source>
        <translation>The base year’s actual becomes a continuing indicator’s baseline (if it is not in yet, the baseline is &quot;not set&quot; and fills itself in when the actual arrives).</translation>
    </message>
</context>
<context>
    <name>PlanTree</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/plan_tree.py" line="51"/>
        <source>計画体系</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/plan_tree.py" line="51"/>
        <source>未入力</source>
        <translation>Missing</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/plan_tree.py" line="62"/>
        <source>指標名・コードで検索 (Ctrl+F)</source>
        <translation>Search name or code (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/plan_tree.py" line="70"/>
        <source>未入力のみ</source>
        <translation>Missing only</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/plan_tree.py" line="71"/>
        <source>エラー・警告のみ</source>
        <translation>Errors and warnings only</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/plan_tree.py" line="72"/>
        <source>全課を表示</source>
        <translation>All departments</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/plan_tree.py" line="126"/>
        <source>基本目標{0} {1}</source>
        <translation>Goal {0} {1}</translation>
    </message>
</context>
<context>
    <name>PlansView</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/plans_view.py" line="21"/>
        <source>総合計画の施策の方向に付いた他計画のコードごとに、その施策の指標と今年度の状況を示します。実績の入力は一度で三つの計画に使われます。</source>
        <translation>For each code of another plan attached to a direction of the comprehensive plan: the measure&apos;s indicators and this year&apos;s status. One entry of actuals serves all three plans.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/plans_view.py" line="30"/>
        <source>計画・コード・指標</source>
        <translation>Plan · code · indicator</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/plans_view.py" line="31"/>
        <source>総合計画の施策・方向</source>
        <translation>Measure · direction (comprehensive plan)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/plans_view.py" line="32"/>
        <source>実績</source>
        <translation>Actual</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/plans_view.py" line="33"/>
        <source>評価</source>
        <translation>Grade</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/plans_view.py" line="34"/>
        <source>進捗状況</source>
        <translation>Progress</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/plans_view.py" line="54"/>
        <source>（コードなし）</source>
        <translation>(no code)</translation>
    </message>
</context>
<context>
    <name>RegisteredKeysDialog</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="202"/>
        <source>登録済みの署名鍵</source>
        <translation>Registered signing keys</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="206"/>
        <source>課</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="206"/>
        <source>端末（データベースID）</source>
        <translation>Installation (database ID)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="206"/>
        <source>指紋</source>
        <translation>Fingerprint</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="206"/>
        <source>状態</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="211"/>
        <source>新しい鍵の登録待ち（以前の版の鍵）</source>
        <translation>Waiting for its new key (previous release&apos;s key)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="213"/>
        <source>登録済み</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="223"/>
        <source>鍵が登録された課の提出ブックは、その鍵の署名があり、出力後に変更されていないときだけ取り込めます。鍵ファイルには秘密の情報は含まれません。</source>
        <translation>A department with a registered key can send submissions only signed with that key and unchanged since export. Key files hold no secret.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="228"/>
        <source>登録された鍵はありません</source>
        <translation>No key is registered</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/key_actions.py" line="231"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>SaveWorker</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/save_worker.py" line="115"/>
        <source>サーバーの応答を待っています…（保存中。このままお待ちください）</source>
        <translation>Waiting for the server… (saving; please wait)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/save_worker.py" line="124"/>
        <source>保存中</source>
        <translation>Saving</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="525"/>
        <source>4. 確認</source>
        <translation>4. Summary</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="528"/>
        <source>「作成する」で新しい計画を準備中の計画期として作ります（1回の書き込み）。実施中にするまで各課には表示されません。</source>
        <translation>&quot;Create&quot; makes the new plan as a draft generation (one write). Departments do not see it until it is put in force.</translation>
    </message>
</context>
<context>
    <name>TargetPage</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="379"/>
        <source>3. 目標値と新しい指標</source>
        <translation>3. Targets and new indicators</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="381"/>
        <source>新しい計画の目標値（最終年度）を単位つきでも入力できます。空欄は未設定です。</source>
        <translation>Type the new plan’s targets (for its last year), with a unit if you like. Blank: not set.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="504"/>
        <source>追加した指標はありません</source>
        <translation>No indicator added</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/next_plan_wizard.py" line="507"/>
        <source>追加: {0}</source>
        <translation>Added: {0}</translation>
    </message>
</context>
<context>
    <name>TemplateDialog</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="117"/>
        <source>記入用テンプレートを書き出す</source>
        <translation>Export fill-in template</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="131"/>
        <source>このプログラムを使わない課に送る、記入用のブックを書き出します。</source>
        <translation>Writes a workbook to fill in, for a department that does not use this program.</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="133"/>
        <source>担当課</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="134"/>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="136"/>
        <source>保存先を選ぶ…</source>
        <translation>Choose where to save…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/exchange_actions.py" line="137"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="200"/>
        <source>指標を選ぶと推移を表示します</source>
        <translation>Select an indicator to see its trend</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="232"/>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="563"/>
        <source>達成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="232"/>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="562"/>
        <source>未達成</source>
        <translation>Not done</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="241"/>
        <source>達成／未達成</source>
        <translation>Done / not done</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="243"/>
        <source>単位: {0}</source>
        <translation>unit: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="245"/>
        <source>単位未設定</source>
        <translation>unit not set</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="247"/>
        <source>累計</source>
        <translation>cumulative</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="256"/>
        <source>&#x3000;— 実績・基準値・目標のいずれもありません</source>
        <translation> — no actual, baseline or target</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="371"/>
        <source>以上</source>
        <translation> or more</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="371"/>
        <source>以下</source>
        <translation> or less</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="373"/>
        <source>目標 {0}</source>
        <translation>Target {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="388"/>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="392"/>
        <source>目標</source>
        <translation>Target</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="397"/>
        <source>目標年度（{0}）{1}</source>
        <translation>Target year ({0}) {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="406"/>
        <source>目標年度</source>
        <translation>Target year</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="411"/>
        <source>基準値（{0}）{1}</source>
        <translation>Baseline ({0}) {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="422"/>
        <source>基準値</source>
        <translation>Baseline</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="296"/>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="428"/>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="434"/>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="521"/>
        <source>実績</source>
        <translation>Actual</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="448"/>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="460"/>
        <source>前計画の目標</source>
        <translation>Earlier plan&apos;s target</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="477"/>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="521"/>
        <source>前計画の実績</source>
        <translation>Earlier plan&apos;s actual</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="483"/>
        <source>前計画</source>
        <translation>Earlier plan</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="496"/>
        <source>計画の切り替え: {0}</source>
        <translation>Plan boundary: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="529"/>
        <source>前計画の実績: {0}</source>
        <translation>Earlier plans&apos; actuals: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="536"/>
        <source>実績: {0}</source>
        <translation>Actual: {0}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/trend_chart.py" line="554"/>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
</context>
<context>
    <name>WindowMenus</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="108"/>
        <source>ファイル(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="116"/>
        <source>終了</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="118"/>
        <source>編集(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="119"/>
        <source>元に戻す</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="121"/>
        <source>やり直す</source>
        <translation>Redo</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="128"/>
        <source>コピー</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="131"/>
        <source>貼り付け</source>
        <translation>Paste</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="134"/>
        <source>値を消去…</source>
        <translation>Clear value…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="137"/>
        <source>検索</source>
        <translation>Find</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="139"/>
        <source>表示(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="140"/>
        <source>入力</source>
        <translation>Entry</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="142"/>
        <source>ダッシュボード</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="145"/>
        <source>計画横断</source>
        <translation>Plans</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="148"/>
        <source>再読み込み</source>
        <translation>Reload</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="153"/>
        <source>詳細パネル</source>
        <translation>Detail panel</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="162"/>
        <source>言語</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="173"/>
        <source>評価(&amp;R)</source>
        <translation>&amp;Review</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="174"/>
        <source>施策評価…</source>
        <translation>Measure evaluation…</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="175"/>
        <source>カタログ(&amp;C)</source>
        <translation>&amp;Catalog</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="180"/>
        <source>集約(&amp;A)</source>
        <translation>&amp;Aggregate</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="181"/>
        <source>全課の入力状況</source>
        <translation>Progress of all departments</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="185"/>
        <source>ヘルプ(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="186"/>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="216"/>
        <source>キー操作</source>
        <translation>Keyboard</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="187"/>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="244"/>
        <source>バージョン情報</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="193"/>
        <source>表示言語は次回の起動から切り替わります</source>
        <translation>The language changes the next time the program starts</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="222"/>
        <source>文字を入力: 編集開始</source>
        <translation>Type a character: start editing</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="223"/>
        <source>Enter: 保存して下へ</source>
        <translation>Enter: save and move down</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="224"/>
        <source>Tab: 保存して右へ</source>
        <translation>Tab: save and move right</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="225"/>
        <source>Esc: 入力中の値を取り消す（入力中でなければ終了の確認）</source>
        <translation>Esc: cancel the value being typed (otherwise: ask to quit)</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="226"/>
        <source>コメント欄: Enter で保存、Shift+Enter で改行</source>
        <translation>Comment box: Enter saves, Shift+Enter starts a new line</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="238"/>
        <source>提出ブックはウィンドウにドロップしても取り込めます</source>
        <translation>Submission workbooks can also be dropped on the window to import them</translation>
    </message>
    <message>
        <source>文字を入力: 編集開始
Enter: 保存して下へ
Tab: 保存して右へ
Ctrl+V: Excel から貼り付け
Delete: 値を消去（欠測理由を選択）
Ctrl+Z / Ctrl+Y: 元に戻す / やり直す
Ctrl+F: 検索
F5: 再読み込み
Ctrl+Shift+H: 施策評価</source>
        <translation type="vanished">Type: start editing
Enter: save and move down
Tab: save and move right
Ctrl+V: paste from Excel
Delete: clear a value (choose a missing reason)
Ctrl+Z / Ctrl+Y: undo / redo
Ctrl+F: find
F5: reload
Ctrl+Shift+H: Measure evaluation</translation>
    </message>
    <message>
        <source>Ctrl+I: 提出ブックを取り込む（ファイルをウィンドウにドロップしても可）
Ctrl+T: 記入用テンプレートを書き出す
Ctrl+Shift+E: 集約ブックを作成</source>
        <translation type="vanished">Ctrl+I: merge submission workbooks (or drop the files on the window)
Ctrl+T: export a fill-in template
Ctrl+Shift+E: create the consolidated workbook</translation>
    </message>
    <message>
        <source>Ctrl+E: 提出用ブックを書き出す</source>
        <translation type="vanished">Ctrl+E: export the submission workbook</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="245"/>
        <source>kplan-desktop {0}
データベース: {1}</source>
        <translation>kplan-desktop {0}
Database: {1}</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_menus.py" line="151"/>
        <source>計画期を切り替える…</source>
        <translation>Switch plan generation…</translation>
    </message>
</context>
<context>
    <name>WindowTabs</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_tabs.py" line="26"/>
        <source>入力</source>
        <translation>Entry</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_tabs.py" line="27"/>
        <location filename="../../src/kplan_desktop/ui/window_tabs.py" line="74"/>
        <source>ダッシュボード</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <location filename="../../src/kplan_desktop/ui/window_tabs.py" line="28"/>
        <location filename="../../src/kplan_desktop/ui/window_tabs.py" line="51"/>
        <source>計画横断</source>
        <translation>Plans</translation>
    </message>
</context>
<context>
    <name>Workers</name>
    <message>
        <location filename="../../src/kplan_desktop/ui/workers.py" line="112"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
</context>
</TS>
