<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>QObject</name>
    <message>
        <source>cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>the run was cancelled</source>
        <translation>der Lauf wurde abgebrochen</translation>
    </message>
    <message>
        <source>timed out after 10 minutes</source>
        <translation>Zeitüberschreitung nach 10 Minuten</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>the figure would be %1 x %2 pixels; choose another width or DPI</source>
        <translation>die Abbildung hätte %1 × %2 Pixel; wählen Sie eine andere Breite oder DPI</translation>
    </message>
    <message>
        <source>figure width must be 0.5-40 in and DPI 30-2400</source>
        <translation>die Breite der Abbildung muss 0,5–40 Zoll und die DPI 30–2400 betragen</translation>
    </message>
    <message>
        <source>cannot encode %1 as PNG</source>
        <translation>%1 kann nicht als PNG kodiert werden</translation>
    </message>
    <message>
        <source>cannot start PDF output for %1</source>
        <translation>PDF-Ausgabe für %1 kann nicht gestartet werden</translation>
    </message>
    <message>
        <source>cannot start SVG output for %1</source>
        <translation>SVG-Ausgabe für %1 kann nicht gestartet werden</translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation>der Ordner %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>with soft tokens</source>
        <translation>mit Soft-Tokens</translation>
    </message>
    <message>
        <source>without soft tokens</source>
        <translation>ohne Soft-Tokens</translation>
    </message>
    <message>
        <source>layer %1</source>
        <translation>Schicht %1</translation>
    </message>
    <message>
        <source>there is no run to make panels of</source>
        <translation>es gibt keinen Lauf, aus dem Teilbilder erstellt werden könnten</translation>
    </message>
    <message>
        <source>no attention was captured in this run</source>
        <translation>in diesem Lauf wurde keine Aufmerksamkeit erfasst</translation>
    </message>
    <message>
        <source>%1 layer %2 · %3</source>
        <translation>%1 Schicht %2 · %3</translation>
    </message>
    <message>
        <source> · step %1</source>
        <translation> · Schritt %1</translation>
    </message>
    <message>
        <source>this view cannot be exported as a figure</source>
        <translation>diese Ansicht kann nicht als Abbildung exportiert werden</translation>
    </message>
    <message>
        <source>figure aspect must be between 0 and 20</source>
        <translation>das Seitenverhältnis der Abbildung muss zwischen 0 und 20 liegen</translation>
    </message>
    <message>
        <source>a figure needs at least one panel</source>
        <translation>eine Abbildung braucht mindestens ein Teilbild</translation>
    </message>
    <message>
        <source>a figure panel has no view</source>
        <translation>ein Teilbild der Abbildung hat keine Ansicht</translation>
    </message>
    <message>
        <source>%1 panels in %2 columns do not fit a %3 in wide figure; use fewer columns or a wider figure</source>
        <translation>%1 Teilbilder in %2 Spalten passen nicht in eine %3 Zoll breite Abbildung; verwenden Sie weniger Spalten oder eine breitere Abbildung</translation>
    </message>
    <message>
        <source>there is no run yet; run a prompt first</source>
        <translation>es gibt noch keinen Lauf; führen Sie zuerst einen Prompt aus</translation>
    </message>
    <message>
        <source>the selected query&apos;s attention was not captured in this run</source>
        <translation>die Aufmerksamkeit der gewählten Abfrage wurde in diesem Lauf nicht erfasst</translation>
    </message>
    <message>
        <source>%1 − %2</source>
        <translation>%1 − %2</translation>
    </message>
    <message>
        <source>tokens both have</source>
        <translation>Tokens beider Läufe</translation>
    </message>
    <message>
        <source>weight difference</source>
        <translation>Gewichtsdifferenz</translation>
    </message>
</context>
<context>
    <name>attnx</name>
    <message>
        <source>&quot;ids:&quot; is followed by no token id</source>
        <translation>auf „ids:“ folgt keine Token-ID</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a token id (ids are integers &gt;= 0)</source>
        <translation>„%1“ ist keine Token-ID (IDs sind ganze Zahlen &gt;= 0)</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a layer or a range such as 2-5</source>
        <translation>„%1“ ist keine Schicht und kein Bereich wie 2-5</translation>
    </message>
    <message>
        <source>the range &quot;%1&quot; ends before it starts</source>
        <translation>der Bereich „%1“ endet vor seinem Anfang</translation>
    </message>
    <message>
        <source>the range &quot;%1&quot; is too large</source>
        <translation>der Bereich „%1“ ist zu groß</translation>
    </message>
    <message>
        <source>Enter a prompt (text, or token ids as &quot;ids: 1, 2, 3&quot;).</source>
        <translation>Geben Sie einen Prompt ein (Text oder Token-IDs als „ids: 1, 2, 3“).</translation>
    </message>
    <message>
        <source>The number of tokens to generate cannot be negative.</source>
        <translation>Die Anzahl der zu generierenden Tokens darf nicht negativ sein.</translation>
    </message>
    <message>
        <source>Cannot continue the unfinished run: %1. Start the run afresh, or choose another results file.</source>
        <translation>Der unvollendete Lauf kann nicht fortgesetzt werden: %1. Starten Sie den Lauf neu oder wählen Sie eine andere Ergebnisdatei.</translation>
    </message>
    <message>
        <source>Cannot continue %1: it was made with other settings (%2). Start the run afresh, or choose another results file.</source>
        <translation>%1 kann nicht fortgesetzt werden: Die Datei wurde mit anderen Einstellungen erstellt (%2). Starten Sie den Lauf neu oder wählen Sie eine andere Ergebnisdatei.</translation>
    </message>
    <message>
        <source>Cannot continue %1: it is for %2 examples, the examples file now holds %3. Start the run afresh.</source>
        <translation>%1 kann nicht fortgesetzt werden: Die Datei gilt für %2 Beispiele, die Beispieldatei enthält jetzt %3. Starten Sie den Lauf neu.</translation>
    </message>
    <message>
        <source>Cannot continue %1: the examples file changed since (example %2 was &quot;%3&quot;). Start the run afresh.</source>
        <translation>%1 kann nicht fortgesetzt werden: Die Beispieldatei hat sich seitdem geändert (Beispiel %2 war „%3“). Starten Sie den Lauf neu.</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 / %2 examples</source>
        <translation>%1 / %2 Beispiele</translation>
    </message>
    <message>
        <source>%1 / %2 examples, about %3 left</source>
        <translation>%1 / %2 Beispiele, noch etwa %3</translation>
    </message>
    <message>
        <source>correct</source>
        <translation>richtig</translation>
    </message>
    <message>
        <source>wrong</source>
        <translation>falsch</translation>
    </message>
    <message>
        <source>predicted “%1”</source>
        <translation>vorhergesagt „%1“</translation>
    </message>
    <message>
        <source>%1 tokens · query at %2</source>
        <translation>%1 Tokens · Abfrage an Position %2</translation>
    </message>
    <message>
        <source>first token “%1” (p = %2)</source>
        <translation>erstes Token „%1“ (p = %2)</translation>
    </message>
    <message>
        <source>the gold answer&apos;s</source>
        <translation>das der Referenzantwort</translation>
    </message>
    <message>
        <source>not the gold answer&apos;s</source>
        <translation>nicht das der Referenzantwort</translation>
    </message>
    <message>
        <source>The second sentence of a pair needs a text prompt as its first sentence.</source>
        <translation>Der zweite Satz eines Paars braucht einen Text-Prompt als ersten Satz.</translation>
    </message>
    <message>
        <source>%1, line %2: example %3 names soft-token rows, but no soft-token file is chosen. Choose the file, or tick &quot;Run without soft tokens&quot; to run the examples without them.</source>
        <translation>%1, Zeile %2: Beispiel %3 nennt Soft-Token-Zeilen, aber es ist keine Soft-Token-Datei gewählt. Wählen Sie die Datei, oder kreuzen Sie „Ohne Soft-Tokens ausführen“ an, um die Beispiele ohne sie auszuführen.</translation>
    </message>
</context>
<context>
    <name>attnx::BackgroundIo</name>
    <message>
        <source>%1: out of memory</source>
        <translation>%1: Speicher erschöpft</translation>
    </message>
</context>
<context>
    <name>attnx::CausalGridView</name>
    <message>
        <source>Layers (rows) x heads (columns): the change of log p(target) at the query when that head&apos;s attention to the scanned tokens is knocked out. Blue: the prediction needs the head&apos;s reading of them; red: it does better without. Click a cell to select its head.</source>
        <translation>Schichten (Zeilen) x Köpfe (Spalten): die Änderung von log p(Ziel) an der Abfrage, wenn die Aufmerksamkeit dieses Kopfes auf die untersuchten Token ausgeschaltet wird. Blau: die Vorhersage braucht, was der Kopf dort liest; rot: ohne ihn wird sie besser. Ein Klick auf eine Zelle wählt ihren Kopf.</translation>
    </message>
    <message>
        <source>Run the model first, then scan its heads (Run › Scan heads…).</source>
        <translation>Führen Sie zuerst das Modell aus und untersuchen Sie dann seine Köpfe (Ausführen › Köpfe untersuchen…).</translation>
    </message>
    <message>
        <source>Run › Scan heads… (Ctrl+Shift+K) knocks out each head&apos;s attention to the soft tokens (or other keys) in turn and shows here how much the prediction depends on it.</source>
        <translation>Ausführen › Köpfe untersuchen… (Strg+Umschalt+K) schaltet nacheinander die Aufmerksamkeit jedes Kopfes auf die Soft-Token (oder andere Schlüssel) aus und zeigt hier, wie sehr die Vorhersage davon abhängt.</translation>
    </message>
    <message>
        <source>Δ log p</source>
        <translation>Δ log p</translation>
    </message>
    <message>
        <source>Δ log p(%1) at query %2, each head&apos;s attention to %3 knocked out
log p = %4 without knockout</source>
        <translation>Δ log p(%1) an Abfrage %2, Aufmerksamkeit jedes Kopfes auf %3 ausgeschaltet
log p = %4 ohne Ausschaltung</translation>
    </message>
    <message>
        <source>Layer %1, head %2: Δ log p(%3) = %4 with its attention to %5 knocked out</source>
        <translation>Schicht %1, Kopf %2: Δ log p(%3) = %4, wenn seine Aufmerksamkeit auf %5 ausgeschaltet ist</translation>
    </message>
</context>
<context>
    <name>attnx::CellGrid</name>
    <message>
        <source>L%1</source>
        <translation>S%1</translation>
    </message>
</context>
<context>
    <name>attnx::CellGridView</name>
    <message>
        <source>Nothing to show.</source>
        <translation>Nichts anzuzeigen.</translation>
    </message>
</context>
<context>
    <name>attnx::ColorScale</name>
    <message>
        <source>viridis</source>
        <translation>viridis</translation>
    </message>
    <message>
        <source>magma</source>
        <translation>magma</translation>
    </message>
    <message>
        <source>cividis</source>
        <translation>cividis</translation>
    </message>
    <message>
        <source>grays</source>
        <translation>Graustufen</translation>
    </message>
    <message>
        <source>linear</source>
        <translation>linear</translation>
    </message>
    <message>
        <source>logarithmic</source>
        <translation>logarithmisch</translation>
    </message>
    <message>
        <source>power (gamma)</source>
        <translation>Potenz (Gamma)</translation>
    </message>
</context>
<context>
    <name>attnx::ComparedCurvesView</name>
    <message>
        <source>attention mass</source>
        <translation>Aufmerksamkeitsmasse</translation>
    </message>
    <message>
        <source>The attention mass per kind of token, layer by layer, of both runs: %1 solid, %2 dashed</source>
        <translation>Die Aufmerksamkeitsmasse je Token-Art, Schicht für Schicht, beider Läufe: %1 durchgezogen, %2 gestrichelt</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>Schicht %1</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>The curves of both runs appear once both have run.</source>
        <translation>Die Kurven beider Läufe erscheinen, sobald beide gelaufen sind.</translation>
    </message>
    <message>
        <source>The two runs captured different layers: their curves cannot be overlaid.</source>
        <translation>Die beiden Läufe haben verschiedene Schichten erfasst: Ihre Kurven lassen sich nicht überlagern.</translation>
    </message>
    <message>
        <source>The selected query&apos;s row was not captured in both runs.</source>
        <translation>Die Zeile der gewählten Abfrage wurde nicht in beiden Läufen erfasst.</translation>
    </message>
    <message>
        <source>query %1</source>
        <translation>Abfrage %1</translation>
    </message>
    <message>
        <source>step %1</source>
        <translation>Schritt %1</translation>
    </message>
    <message>
        <source>Attention from %1 by layer (mean over heads, band ±1 sd)</source>
        <translation>Aufmerksamkeit von %1 nach Schicht (Mittel über Köpfe, Band ±1 SD)</translation>
    </message>
</context>
<context>
    <name>attnx::ComparisonWindow</name>
    <message>
        <source>Comparison</source>
        <translation>Vergleich</translation>
    </message>
    <message>
        <source> Group A: </source>
        <translation> Gruppe A: </translation>
    </message>
    <message>
        <source>  Group B: </source>
        <translation>  Gruppe B: </translation>
    </message>
    <message>
        <source>The first group of examples (A); differences are A − B</source>
        <translation>Die erste Gruppe von Beispielen (A); Differenzen sind A − B</translation>
    </message>
    <message>
        <source>The second group of examples (B); differences are A − B</source>
        <translation>Die zweite Gruppe von Beispielen (B); Differenzen sind A − B</translation>
    </message>
    <message>
        <source>   Attention to: </source>
        <translation>   Aufmerksamkeit auf: </translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1-Tokens</translation>
    </message>
    <message>
        <source>Which kind of token the curves, the difference grid and the ranking measure the attention mass to</source>
        <translation>Auf welche Token-Art sich die Aufmerksamkeitsmasse in den Kurven, im Differenzraster und in der Rangliste bezieht</translation>
    </message>
    <message>
        <source>Export &amp;figure…</source>
        <translation>&amp;Abbildung exportieren…</translation>
    </message>
    <message>
        <source>Export the focused view as a PDF, SVG or PNG figure (Ctrl+E)</source>
        <translation>Die fokussierte Ansicht als PDF-, SVG- oder PNG-Abbildung exportieren (Ctrl+E)</translation>
    </message>
    <message>
        <source>Export &amp;side by side…</source>
        <translation>&amp;Nebeneinander exportieren…</translation>
    </message>
    <message>
        <source>Export the two examples&apos; heatmaps as one figure with two panels</source>
        <translation>Die Heatmaps der beiden Beispiele als eine Abbildung mit zwei Teilbildern exportieren</translation>
    </message>
    <message>
        <source>Set-level diagnostics</source>
        <translation>Diagnose auf Datensatzebene</translation>
    </message>
    <message>
        <source>The layer both examples show</source>
        <translation>Die Schicht, die beide Beispiele zeigen</translation>
    </message>
    <message>
        <source>The head both examples show, or the mean / max over heads</source>
        <translation>Der Kopf, den beide Beispiele zeigen, oder Mittel / Maximum über die Köpfe</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>Schicht:</translation>
    </message>
    <message>
        <source>Head:</source>
        <translation>Kopf:</translation>
    </message>
    <message>
        <source>Layer, head, the query (click a cell) and zoom are the same on both sides.</source>
        <translation>Schicht, Kopf, Abfrage (Klick auf eine Zelle) und Zoom sind auf beiden Seiten gleich.</translation>
    </message>
    <message>
        <source>An example of group A, shown on the left</source>
        <translation>Ein Beispiel aus Gruppe A, links angezeigt</translation>
    </message>
    <message>
        <source>An example of group B, shown on the right</source>
        <translation>Ein Beispiel aus Gruppe B, rechts angezeigt</translation>
    </message>
    <message>
        <source>Left − right</source>
        <translation>Links − rechts</translation>
    </message>
    <message>
        <source>Shown when both inputs have the same token layout (the same kinds of segment with the same lengths)</source>
        <translation>Wird angezeigt, wenn beide Eingaben denselben Token-Aufbau haben (dieselben Segmentarten mit denselben Längen)</translation>
    </message>
    <message>
        <source>red: the left attends more · blue: the right does</source>
        <translation>rot: links mehr Aufmerksamkeit · blau: rechts mehr</translation>
    </message>
    <message>
        <source>&amp;Groups</source>
        <translation>&amp;Gruppen</translation>
    </message>
    <message>
        <source>E&amp;xamples</source>
        <translation>&amp;Beispiele</translation>
    </message>
    <message>
        <source>run %1: %2</source>
        <translation>Lauf %1: %2</translation>
    </message>
    <message>
        <source>run %1 (%2): %3</source>
        <translation>Lauf %1 (%2): %3</translation>
    </message>
    <message numerus="yes">
        <source>%n chosen example(s)</source>
        <translation>
            <numerusform>%n gewähltes Beispiel</numerusform>
            <numerusform>%n gewählte Beispiele</numerusform>
        </translation>
    </message>
    <message>
        <source>Comparison — %1</source>
        <translation>Vergleich — %1</translation>
    </message>
    <message>
        <source>%1 of %2 examples · %3 · %4 | %5</source>
        <translation>%1 von %2 Beispielen · %3 · %4 | %5</translation>
    </message>
    <message>
        <source>No dataset results loaded</source>
        <translation>Keine Datensatzergebnisse geladen</translation>
    </message>
    <message>
        <source>Group %1 has no examples</source>
        <translation>Gruppe %1 hat keine Beispiele</translation>
    </message>
    <message>
        <source>Choose an example of %1…</source>
        <translation>Beispiel aus %1 wählen…</translation>
    </message>
    <message>
        <source>No model is loaded to recompute this example&apos;s attention.</source>
        <translation>Es ist kein Modell geladen, um die Aufmerksamkeit dieses Beispiels neu zu berechnen.</translation>
    </message>
    <message>
        <source>Computing the attention of %1…</source>
        <translation>Aufmerksamkeit von %1 wird berechnet…</translation>
    </message>
    <message>
        <source>The example&apos;s attention could not be computed:
%1</source>
        <translation>Die Aufmerksamkeit des Beispiels konnte nicht berechnet werden:
%1</translation>
    </message>
    <message>
        <source>Choose an example above to see its attention.</source>
        <translation>Wählen Sie oben ein Beispiel, um seine Aufmerksamkeit zu sehen.</translation>
    </message>
    <message>
        <source>Figure saved to %1</source>
        <translation>Abbildung gespeichert unter %1</translation>
    </message>
    <message>
        <source>Export figure</source>
        <translation>Abbildung exportieren</translation>
    </message>
    <message>
        <source>Cannot export the figure: %1</source>
        <translation>Die Abbildung kann nicht exportiert werden: %1</translation>
    </message>
    <message>
        <source>Export side by side</source>
        <translation>Nebeneinander exportieren</translation>
    </message>
    <message>
        <source>Choose an example on both sides first.</source>
        <translation>Wählen Sie zuerst auf beiden Seiten ein Beispiel.</translation>
    </message>
    <message>
        <source> (correct)</source>
        <translation> (richtig)</translation>
    </message>
    <message>
        <source> (wrong)</source>
        <translation> (falsch)</translation>
    </message>
    <message>
        <source>%1 %2 · layer %3, %4</source>
        <translation>%1 %2 · Schicht %3, %4</translation>
    </message>
    <message>
        <source>&amp;Copy as image</source>
        <translation>Als Bild &amp;kopieren</translation>
    </message>
    <message>
        <source>Copy the focused view to the clipboard (Ctrl+Shift+C)</source>
        <translation>Die fokussierte Ansicht in die Zwischenablage kopieren (Ctrl+Shift+C)</translation>
    </message>
    <message>
        <source>Figure copied to the clipboard</source>
        <translation>Abbildung in die Zwischenablage kopiert</translation>
    </message>
    <message>
        <source>Copy as image</source>
        <translation>Als Bild kopieren</translation>
    </message>
    <message>
        <source>There is no such example in the results.</source>
        <translation>Dieses Beispiel ist in den Ergebnissen nicht vorhanden.</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>(c) left − right · layer %1, %2</source>
        <translation>(c) links − rechts · Schicht %1, %2</translation>
    </message>
    <message>
        <source> · tokens both have</source>
        <translation> · Tokens beider Seiten</translation>
    </message>
    <message>
        <source>Save s&amp;ession…</source>
        <translation>Sitzung speicher&amp;n…</translation>
    </message>
    <message>
        <source>Save these results with the groups, the layer, the head and the examples shown as a .attnx session to reopen exactly as it is (Ctrl+Alt+S)</source>
        <translation>Diese Ergebnisse mit den Gruppen, der Schicht, dem Kopf und den gezeigten Beispielen als .attnx-Sitzung speichern, um sie genau so wieder zu öffnen (Strg+Alt+S)</translation>
    </message>
</context>
<context>
    <name>attnx::DatasetDocument</name>
    <message>
        <source>correct</source>
        <translation>richtig</translation>
    </message>
    <message>
        <source>incorrect</source>
        <translation>falsch</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>first token correct</source>
        <translation>erstes Token richtig</translation>
    </message>
    <message>
        <source>first token incorrect</source>
        <translation>erstes Token falsch</translation>
    </message>
    <message>
        <source>chosen examples</source>
        <translation>gewählte Beispiele</translation>
    </message>
    <message>
        <source>%1, run %2</source>
        <translation>%1, Lauf %2</translation>
    </message>
    <message>
        <source>%1 (n = %2)</source>
        <translation>%1 (n = %2)</translation>
    </message>
</context>
<context>
    <name>attnx::DatasetJob</name>
    <message>
        <source>model folder</source>
        <translation>Modellordner</translation>
    </message>
    <message>
        <source>examples file</source>
        <translation>Beispieldatei</translation>
    </message>
    <message>
        <source>soft-token file</source>
        <translation>Soft-Token-Datei</translation>
    </message>
    <message>
        <source>anchor</source>
        <translation>Anker</translation>
    </message>
    <message>
        <source>BOS after the soft tokens</source>
        <translation>BOS nach den Soft-Tokens</translation>
    </message>
    <message>
        <source>prediction field</source>
        <translation>Vorhersagefeld</translation>
    </message>
    <message>
        <source>query position</source>
        <translation>Abfrageposition</translation>
    </message>
    <message>
        <source>correctness</source>
        <translation>Korrektheitskriterium</translation>
    </message>
    <message>
        <source>F1 threshold</source>
        <translation>F1-Schwelle</translation>
    </message>
    <message>
        <source>new tokens</source>
        <translation>neue Tokens</translation>
    </message>
    <message>
        <source>shard</source>
        <translation>Teilstück</translation>
    </message>
</context>
<context>
    <name>attnx::DatasetRunDialog</name>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Analyze dataset</source>
        <translation>Datensatz analysieren</translation>
    </message>
    <message>
        <source>one example per line (.jsonl)</source>
        <translation>ein Beispiel pro Zeile (.jsonl)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>[N, M, d]: row i for example i (or its &quot;soft_index&quot;); [M, d]: one prefix for all</source>
        <translation>[N, M, d]: Zeile i für Beispiel i (oder dessen „soft_index“); [M, d]: ein Präfix für alle</translation>
    </message>
    <message>
        <source>Text after the soft tokens; an example&apos;s own &quot;anchor&quot; wins</source>
        <translation>Text nach den Soft-Tokens; ein eigener „anchor“ eines Beispiels hat Vorrang</translation>
    </message>
    <message>
        <source>The field of each line that holds the model&apos;s answer</source>
        <translation>Das Feld jeder Zeile, das die Antwort des Modells enthält</translation>
    </message>
    <message>
        <source>last position</source>
        <translation>letzte Position</translation>
    </message>
    <message>
        <source>The query position whose attention is kept for every example</source>
        <translation>Die Abfrageposition, deren Aufmerksamkeit für jedes Beispiel gespeichert wird</translation>
    </message>
    <message>
        <source>exact match with the gold answer</source>
        <translation>exakte Übereinstimmung mit der Referenzantwort</translation>
    </message>
    <message>
        <source>F1 with the gold answer at least</source>
        <translation>F1 mit der Referenzantwort mindestens</translation>
    </message>
    <message>
        <source>first token is the gold answer&apos;s (FirstTok@1)</source>
        <translation>erstes Token ist das der Referenzantwort (FirstTok@1)</translation>
    </message>
    <message>
        <source>Used for examples without a &quot;correct&quot; field</source>
        <translation>Wird für Beispiele ohne Feld „correct“ verwendet</translation>
    </message>
    <message>
        <source>Greedy tokens generated for examples that have neither a prediction nor &quot;correct&quot;</source>
        <translation>Greedy generierte Tokens für Beispiele, die weder eine Vorhersage noch „correct“ haben</translation>
    </message>
    <message>
        <source>Continue an unfinished results file</source>
        <translation>Eine unvollendete Ergebnisdatei fortsetzen</translation>
    </message>
    <message>
        <source>Keep the examples already in the results file when it was made with the same settings; otherwise the file is replaced</source>
        <translation>Die bereits in der Ergebnisdatei enthaltenen Beispiele behalten, wenn sie mit denselben Einstellungen erstellt wurde; andernfalls wird die Datei ersetzt</translation>
    </message>
    <message>
        <source>Model folder:</source>
        <translation>Modellordner:</translation>
    </message>
    <message>
        <source>Choose the model folder</source>
        <translation>Modellordner wählen</translation>
    </message>
    <message>
        <source>Examples:</source>
        <translation>Beispiele:</translation>
    </message>
    <message>
        <source>Choose the examples file</source>
        <translation>Beispieldatei wählen</translation>
    </message>
    <message>
        <source>Soft tokens:</source>
        <translation>Soft-Tokens:</translation>
    </message>
    <message>
        <source>Choose the soft-token file</source>
        <translation>Soft-Token-Datei wählen</translation>
    </message>
    <message>
        <source>Anchor:</source>
        <translation>Anker:</translation>
    </message>
    <message>
        <source>Prediction field:</source>
        <translation>Vorhersagefeld:</translation>
    </message>
    <message>
        <source>Query:</source>
        <translation>Abfrage:</translation>
    </message>
    <message>
        <source>Correct when:</source>
        <translation>Richtig, wenn:</translation>
    </message>
    <message>
        <source>New tokens:</source>
        <translation>Neue Tokens:</translation>
    </message>
    <message>
        <source>Results file:</source>
        <translation>Ergebnisdatei:</translation>
    </message>
    <message>
        <source>Choose where to save</source>
        <translation>Speicherort wählen</translation>
    </message>
    <message>
        <source>Analyze</source>
        <translation>Analysieren</translation>
    </message>
    <message>
        <source>Choose a model folder.</source>
        <translation>Wählen Sie einen Modellordner.</translation>
    </message>
    <message>
        <source>The model folder %1 does not exist.</source>
        <translation>Der Modellordner %1 existiert nicht.</translation>
    </message>
    <message>
        <source>Choose an examples file.</source>
        <translation>Wählen Sie eine Beispieldatei.</translation>
    </message>
    <message>
        <source>The examples file %1 does not exist.</source>
        <translation>Die Beispieldatei %1 existiert nicht.</translation>
    </message>
    <message>
        <source>The soft-token file %1 does not exist.</source>
        <translation>Die Soft-Token-Datei %1 existiert nicht.</translation>
    </message>
    <message>
        <source>Choose a results file.</source>
        <translation>Wählen Sie eine Ergebnisdatei.</translation>
    </message>
    <message>
        <source>The folder of the results file %1 does not exist.</source>
        <translation>Der Ordner der Ergebnisdatei %1 existiert nicht.</translation>
    </message>
    <message>
        <source>Examples (*.jsonl *.json);;All files (*)</source>
        <translation>Beispiele (*.jsonl *.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Soft tokens (*.safetensors *.pt *.pth *.bin *.npy);;All files (*)</source>
        <translation>Soft-Tokens (*.safetensors *.pt *.pth *.bin *.npy);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Save the results as</source>
        <translation>Ergebnisse speichern unter</translation>
    </message>
    <message>
        <source>Results (*.json)</source>
        <translation>Ergebnisse (*.json)</translation>
    </message>
    <message>
        <source>BOS after the soft tokens</source>
        <translation>BOS nach den Soft-Tokens</translation>
    </message>
    <message>
        <source>Insert the model&apos;s beginning-of-sequence token between the soft tokens and the
anchor. Applies only with soft tokens.</source>
        <translation>Das Sequenzanfangs-Token des Modells zwischen den Soft-Tokens und dem
Anker einfügen. Gilt nur mit Soft-Tokens.</translation>
    </message>
    <message>
        <source>Run without soft tokens</source>
        <translation>Ohne Soft-Tokens ausführen</translation>
    </message>
    <message>
        <source>The examples name soft-token rows (&quot;soft_index&quot;), but run them without any, on
purpose (a baseline). Without a soft-token file and without this, such examples are
refused: their soft-token mass would be 0 in every layer.</source>
        <translation>Die Beispiele nennen Soft-Token-Zeilen („soft_index“), werden aber absichtlich ohne
ausgeführt (als Vergleichsbasis). Ohne Soft-Token-Datei und ohne diese Option werden solche
Beispiele abgelehnt: ihre Soft-Token-Masse wäre in jeder Schicht 0.</translation>
    </message>
</context>
<context>
    <name>attnx::DatasetView</name>
    <message>
        <source>mass to soft tokens</source>
        <translation>Masse auf Soft-Tokens</translation>
    </message>
    <message>
        <source>mass to BOS</source>
        <translation>Masse auf BOS</translation>
    </message>
    <message>
        <source>mass to anchor tokens</source>
        <translation>Masse auf Anker-Tokens</translation>
    </message>
    <message>
        <source>mass to text tokens</source>
        <translation>Masse auf Text-Tokens</translation>
    </message>
    <message>
        <source>mass to special tokens</source>
        <translation>Masse auf Spezial-Tokens</translation>
    </message>
    <message>
        <source>mass to generated tokens</source>
        <translation>Masse auf generierte Tokens</translation>
    </message>
    <message>
        <source>mass to padding</source>
        <translation>Masse auf Padding</translation>
    </message>
</context>
<context>
    <name>attnx::Demo</name>
    <message>
        <source>this build lacks its files (%1).</source>
        <translation>diesem Build fehlen ihre Dateien (%1).</translation>
    </message>
    <message>
        <source>Cannot create the cache folder %1 for the demo.</source>
        <translation>Der Cache-Ordner %1 für die Demo kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Cannot write the demo into %1: %2</source>
        <translation>Die Demo kann nicht nach %1 geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>%1 kann nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>Cannot move the demo into %1.</source>
        <translation>Die Demo kann nicht nach %1 verschoben werden.</translation>
    </message>
</context>
<context>
    <name>attnx::DiagnosticsPanel</name>
    <message>
        <source>Attention collapse</source>
        <translation>Aufmerksamkeitskollaps</translation>
    </message>
    <message>
        <source>Anchor dominance</source>
        <translation>Ankerdominanz</translation>
    </message>
    <message>
        <source>Head uniformity</source>
        <translation>Gleichförmige Köpfe</translation>
    </message>
    <message>
        <source>Layer uniformity</source>
        <translation>Gleichförmige Schichten</translation>
    </message>
    <message>
        <source>Flagged when soft tokens get less than %1 of the attention in every layer: the model ignores the latents.</source>
        <translation>Auffällig, wenn Soft-Tokens in jeder Schicht weniger als %1 der Aufmerksamkeit erhalten: Das Modell ignoriert die Latents.</translation>
    </message>
    <message>
        <source>Flagged when a layer gives the anchor more than %1 while soft tokens get less than %2: the model relies on the anchor only.</source>
        <translation>Auffällig, wenn eine Schicht dem Anker mehr als %1 gibt, während Soft-Tokens weniger als %2 erhalten: Das Modell stützt sich nur auf den Anker.</translation>
    </message>
    <message>
        <source>Flagged when in every layer the heads&apos; rows differ by less than %1 (mean L1) and their soft mass by less than %2 (sd): no head specialisation.</source>
        <translation>Auffällig, wenn sich in jeder Schicht die Zeilen der Köpfe um weniger als %1 (mittlere L1) und ihre Soft-Masse um weniger als %2 (SD) unterscheiden: keine Spezialisierung der Köpfe.</translation>
    </message>
    <message>
        <source>Flagged when no two layers&apos; head-averaged rows differ by %1 (L1) or more: shallow processing.</source>
        <translation>Auffällig, wenn sich keine zwei über die Köpfe gemittelten Zeilen verschiedener Schichten um %1 (L1) oder mehr unterscheiden: flache Verarbeitung.</translation>
    </message>
    <message>
        <source>L%1 %2</source>
        <translation>S%1 %2</translation>
    </message>
    <message>
        <source>soft mass per layer (mean over heads)</source>
        <translation>Soft-Masse je Schicht (Mittel über Köpfe)</translation>
    </message>
    <message>
        <source>anchor / soft mass per layer</source>
        <translation>Anker- / Soft-Masse je Schicht</translation>
    </message>
    <message>
        <source>mean L1 between heads&apos; rows / sd of soft mass, per layer</source>
        <translation>mittlere L1 zwischen den Zeilen der Köpfe / SD der Soft-Masse, je Schicht</translation>
    </message>
    <message>
        <source>largest L1 distance to another layer&apos;s mean row</source>
        <translation>größter L1-Abstand zur mittleren Zeile einer anderen Schicht</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Layers / numbers</source>
        <translation>Schichten / Werte</translation>
    </message>
    <message>
        <source>The checks of the attention guide on the selected query. Expand a check for its numbers per layer.</source>
        <translation>Die Prüfungen des Aufmerksamkeitsleitfadens für die gewählte Abfrage. Klappen Sie eine Prüfung auf, um ihre Werte je Schicht zu sehen.</translation>
    </message>
    <message>
        <source>What the current check tests and what it found</source>
        <translation>Was die aktuelle Prüfung testet und was sie gefunden hat</translation>
    </message>
    <message>
        <source>Thresholds</source>
        <translation>Schwellenwerte</translation>
    </message>
    <message>
        <source>Edit the thresholds; the checks update at once</source>
        <translation>Schwellenwerte bearbeiten; die Prüfungen werden sofort aktualisiert</translation>
    </message>
    <message>
        <source>Collapse: soft below</source>
        <translation>Kollaps: Soft unter</translation>
    </message>
    <message>
        <source>Collapse when soft-token mass is below this in every layer</source>
        <translation>Kollaps, wenn die Soft-Token-Masse in jeder Schicht unter diesem Wert liegt</translation>
    </message>
    <message>
        <source>Dominance: anchor above</source>
        <translation>Dominanz: Anker über</translation>
    </message>
    <message>
        <source>Anchor dominance needs anchor mass above this ...</source>
        <translation>Ankerdominanz erfordert eine Ankermasse über diesem Wert ...</translation>
    </message>
    <message>
        <source>Dominance: soft below</source>
        <translation>Dominanz: Soft unter</translation>
    </message>
    <message>
        <source>... while soft-token mass is below this, in the same layer</source>
        <translation>... bei einer Soft-Token-Masse unter diesem Wert, in derselben Schicht</translation>
    </message>
    <message>
        <source>Heads alike: row L1 below</source>
        <translation>Köpfe gleich: Zeilen-L1 unter</translation>
    </message>
    <message>
        <source>Heads of a layer are alike when their rows differ by less than this (mean pairwise L1 distance, 0 to 2)</source>
        <translation>Die Köpfe einer Schicht gelten als gleich, wenn sich ihre Zeilen um weniger als diesen Wert unterscheiden (mittlerer paarweiser L1-Abstand, 0 bis 2)</translation>
    </message>
    <message>
        <source>Heads alike: soft sd below</source>
        <translation>Köpfe gleich: Soft-SD unter</translation>
    </message>
    <message>
        <source>... and the standard deviation of their soft-token mass is below this</source>
        <translation>... und die Standardabweichung ihrer Soft-Token-Masse unter diesem Wert liegt</translation>
    </message>
    <message>
        <source>Layers alike: row L1 below</source>
        <translation>Schichten gleich: Zeilen-L1 unter</translation>
    </message>
    <message>
        <source>Layers are alike when no two head-averaged rows differ by this much (L1, 0 to 2)</source>
        <translation>Schichten gelten als gleich, wenn sich keine zwei über die Köpfe gemittelten Zeilen um so viel unterscheiden (L1, 0 bis 2)</translation>
    </message>
    <message>
        <source>The selected query&apos;s row was not captured: nothing to check.</source>
        <translation>Die Zeile der gewählten Abfrage wurde nicht erfasst: Es gibt nichts zu prüfen.</translation>
    </message>
    <message>
        <source>No run yet. The checks appear after a run.</source>
        <translation>Noch kein Lauf. Die Prüfungen erscheinen nach einem Lauf.</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
    <message>
        <source>FLAGGED</source>
        <translation>AUFFÄLLIG</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>no layer shows it</source>
        <translation>in keiner Schicht</translation>
    </message>
    <message>
        <source>layers %1</source>
        <translation>Schichten %1</translation>
    </message>
    <message>
        <source>numbers</source>
        <translation>Werte</translation>
    </message>
    <message>
        <source>query %1 %2</source>
        <translation>Abfrage %1 %2</translation>
    </message>
    <message>
        <source>generation step %1</source>
        <translation>Generierungsschritt %1</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%n check(s) flagged&lt;/b&gt; for %1.</source>
        <translation>
            <numerusform>&lt;b&gt;%n Prüfung auffällig&lt;/b&gt; für %1.</numerusform>
            <numerusform>&lt;b&gt;%n Prüfungen auffällig&lt;/b&gt; für %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>No problem pattern found for %1.</source>
        <translation>Kein Problemmuster gefunden für %1.</translation>
    </message>
    <message>
        <source>No soft tokens in the input: attention collapse does not apply.</source>
        <translation>Keine Soft-Tokens in der Eingabe: Die Prüfung auf Aufmerksamkeitskollaps entfällt.</translation>
    </message>
    <message>
        <source>Attention collapse: soft tokens receive less than %1 of the attention in every layer (at most %2, layer %3); the model is ignoring the latents.</source>
        <translation>Aufmerksamkeitskollaps: Soft-Tokens erhalten in jeder Schicht weniger als %1 der Aufmerksamkeit (höchstens %2, Schicht %3); das Modell ignoriert die Latents.</translation>
    </message>
    <message>
        <source>No collapse: soft tokens receive up to %1 of the attention (layer %2).</source>
        <translation>Kein Kollaps: Soft-Tokens erhalten bis zu %1 der Aufmerksamkeit (Schicht %2).</translation>
    </message>
    <message>
        <source>No anchor text in the input: anchor dominance does not apply.</source>
        <translation>Kein Ankertext in der Eingabe: Die Prüfung auf Ankerdominanz entfällt.</translation>
    </message>
    <message>
        <source>Anchor dominance in layer(s) %1: anchor above %2 while soft tokens stay below %3; the model relies on the anchor text only.</source>
        <translation>Ankerdominanz in Schicht(en) %1: Anker über %2, während Soft-Tokens unter %3 bleiben; das Modell stützt sich nur auf den Ankertext.</translation>
    </message>
    <message>
        <source>No anchor dominance: no layer gives the anchor more than %1 while soft tokens get less than %2.</source>
        <translation>Keine Ankerdominanz: Keine Schicht gibt dem Anker mehr als %1, während Soft-Tokens weniger als %2 erhalten.</translation>
    </message>
    <message>
        <source>A single head: head uniformity does not apply.</source>
        <translation>Nur ein Kopf: Die Prüfung auf gleichförmige Köpfe entfällt.</translation>
    </message>
    <message>
        <source>Head uniformity: in every layer the heads attend alike (mean L1 distance between heads&apos; rows below %1); the heads show no specialisation.</source>
        <translation>Gleichförmige Köpfe: In jeder Schicht verteilen die Köpfe ihre Aufmerksamkeit gleich (mittlerer L1-Abstand zwischen den Zeilen der Köpfe unter %1); die Köpfe zeigen keine Spezialisierung.</translation>
    </message>
    <message>
        <source>Heads are alike in layer(s) %1 only; other layers have specialised heads.</source>
        <translation>Die Köpfe sind nur in Schicht(en) %1 gleich; andere Schichten haben spezialisierte Köpfe.</translation>
    </message>
    <message>
        <source>Heads differ in every layer (smallest mean L1 distance between heads&apos; rows %1).</source>
        <translation>Die Köpfe unterscheiden sich in jeder Schicht (kleinster mittlerer L1-Abstand zwischen den Zeilen der Köpfe %1).</translation>
    </message>
    <message>
        <source>Fewer than two captured layers: layer uniformity does not apply.</source>
        <translation>Weniger als zwei erfasste Schichten: Die Prüfung auf gleichförmige Schichten entfällt.</translation>
    </message>
    <message>
        <source>Layer uniformity: every layer attends alike (largest L1 distance between layers&apos; head-averaged rows %1 &lt; %2); processing may be shallow.</source>
        <translation>Gleichförmige Schichten: Alle Schichten verteilen ihre Aufmerksamkeit gleich (größter L1-Abstand zwischen den über die Köpfe gemittelten Zeilen der Schichten %1 &lt; %2); die Verarbeitung ist möglicherweise flach.</translation>
    </message>
    <message>
        <source>Layers differ (largest L1 distance between layers&apos; head-averaged rows %1).</source>
        <translation>Die Schichten unterscheiden sich (größter L1-Abstand zwischen den über die Köpfe gemittelten Zeilen der Schichten %1).</translation>
    </message>
    <message>
        <source>soft</source>
        <translation>Soft</translation>
    </message>
    <message>
        <source>anchor</source>
        <translation>Anker</translation>
    </message>
    <message>
        <source>heads&apos; L1</source>
        <translation>L1 der Köpfe</translation>
    </message>
    <message>
        <source>soft sd</source>
        <translation>SD Soft</translation>
    </message>
    <message>
        <source>L1 to another layer</source>
        <translation>L1 zu einer anderen Schicht</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>attnx::DifferenceGridView</name>
    <message>
        <source>Layers (rows) x heads (columns): group A&apos;s mean attention mass minus group B&apos;s. Red: A attends more, blue: B attends more, white: no difference. Click a cell to select its layer.</source>
        <translation>Schichten (Zeilen) × Köpfe (Spalten): mittlere Aufmerksamkeitsmasse von Gruppe A minus der von Gruppe B. Rot: A mehr Aufmerksamkeit, blau: B mehr Aufmerksamkeit, weiß: kein Unterschied. Klicken Sie auf eine Zelle, um ihre Schicht zu wählen.</translation>
    </message>
    <message>
        <source>No dataset results loaded.</source>
        <translation>Keine Datensatzergebnisse geladen.</translation>
    </message>
    <message>
        <source>Group %1 is empty: there is no difference to show.</source>
        <translation>Gruppe %1 ist leer: Es gibt keine Differenz anzuzeigen.</translation>
    </message>
    <message>
        <source>The two groups come from models of different sizes: their heads cannot be compared.</source>
        <translation>Die beiden Gruppen stammen von Modellen unterschiedlicher Größe: Ihre Köpfe lassen sich nicht vergleichen.</translation>
    </message>
    <message>
        <source>A − B, %1
A: %2 · B: %3</source>
        <translation>A − B, %1
A: %2 · B: %3</translation>
    </message>
    <message>
        <source>A − B</source>
        <translation>A − B</translation>
    </message>
    <message>
        <source>Layer %1, head %2
A = %3 (%4)
B = %5 (%6)
A − B = %7
Welch&apos;s t = %8</source>
        <translation>Schicht %1, Kopf %2
A = %3 (%4)
B = %5 (%6)
A − B = %7
Welch-t = %8</translation>
    </message>
</context>
<context>
    <name>attnx::DifferenceHeatmapView</name>
    <message>
        <source>The two examples&apos; token layouts differ (left: %1; right: %2), so their attention cannot be subtracted cell by cell.</source>
        <translation>Der Token-Aufbau der beiden Beispiele unterscheidet sich (links: %1; rechts: %2), daher lässt sich ihre Aufmerksamkeit nicht zellenweise subtrahieren.</translation>
    </message>
    <message>
        <source>weight, left − right</source>
        <translation>Gewicht, links − rechts</translation>
    </message>
    <message>
        <source>Hover over a cell to read both weights and their difference.</source>
        <translation>Zeigen Sie auf eine Zelle, um beide Gewichte und ihre Differenz abzulesen.</translation>
    </message>
    <message>
        <source>Left example&apos;s attention minus the right one&apos;s, for the same layer and head: red where the left attends more, blue where the right does.</source>
        <translation>Aufmerksamkeit des linken Beispiels minus der des rechten, für dieselbe Schicht und denselben Kopf: rot, wo das linke mehr Aufmerksamkeit schenkt, blau, wo das rechte es tut.</translation>
    </message>
    <message>
        <source>The difference of the two examples appears here once both are shown.</source>
        <translation>Die Differenz der beiden Beispiele erscheint hier, sobald beide angezeigt werden.</translation>
    </message>
    <message>
        <source>Layer %1 was not captured in both examples.</source>
        <translation>Schicht %1 wurde nicht in beiden Beispielen erfasst.</translation>
    </message>
    <message>
        <source>The two examples kept different query rows, so their attention cannot be subtracted cell by cell.</source>
        <translation>Die beiden Beispiele haben unterschiedliche Abfragezeilen gespeichert, daher lässt sich ihre Aufmerksamkeit nicht zellenweise subtrahieren.</translation>
    </message>
    <message>
        <source>Left − right · layer %1 · %2</source>
        <translation>Links − rechts · Schicht %1 · %2</translation>
    </message>
    <message>
        <source>query %1 → key %2: left %3, right %4, left − right %5</source>
        <translation>Abfrage %1 → Schlüssel %2: links %3, rechts %4, links − rechts %5</translation>
    </message>
    <message>
        <source>Left − right · layer %1 · %2 · tokens both have</source>
        <translation>Links − rechts · Schicht %1 · %2 · Tokens beider Seiten</translation>
    </message>
</context>
<context>
    <name>attnx::ExampleInputCache</name>
    <message>
        <source>%1 has no example %2 (it holds %3).</source>
        <translation>%1 hat kein Beispiel %2 (die Datei enthält %3).</translation>
    </message>
</context>
<context>
    <name>attnx::ExplorerSession</name>
    <message>
        <source>its %1 %2 is missing; put it back beside the session or open the file itself</source>
        <translation>ihre %1 %2 fehlt; legen Sie sie wieder neben die Sitzung oder öffnen Sie die Datei selbst</translation>
    </message>
    <message>
        <source>its %1 %2 changed since the session was saved (another SHA-256); open the file itself to look at it</source>
        <translation>ihre %1 %2 hat sich geändert, seit die Sitzung gespeichert wurde (anderer SHA-256); öffnen Sie die Datei selbst, um sie anzusehen</translation>
    </message>
    <message>
        <source>run file</source>
        <translation>Laufdatei</translation>
    </message>
    <message>
        <source>dataset results</source>
        <translation>Ergebnisdatei des Datensatzes</translation>
    </message>
    <message>
        <source>it shows example %1 of %2, which holds %3 examples</source>
        <translation>sie zeigt Beispiel %1 von %2, das %3 Beispiele enthält</translation>
    </message>
    <message>
        <source>its group names examples %1 does not hold: %2</source>
        <translation>ihre Gruppe nennt Beispiele, die %1 nicht enthält: %2</translation>
    </message>
</context>
<context>
    <name>attnx::FigureDialog</name>
    <message>
        <source>Export figure</source>
        <translation>Abbildung exportieren</translation>
    </message>
    <message>
        <source>PDF (vector)</source>
        <translation>PDF (Vektor)</translation>
    </message>
    <message>
        <source>SVG (vector)</source>
        <translation>SVG (Vektor)</translation>
    </message>
    <message>
        <source>PNG (image)</source>
        <translation>PNG (Bild)</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>&amp;Format:</translation>
    </message>
    <message>
        <source> in</source>
        <translation> Zoll</translation>
    </message>
    <message>
        <source>&amp;Width:</source>
        <translation>&amp;Breite:</translation>
    </message>
    <message>
        <source>Resolution of PNG images; PDF and SVG are vector</source>
        <translation>Auflösung von PNG-Bildern; PDF und SVG sind Vektorformate</translation>
    </message>
    <message>
        <source>&amp;DPI:</source>
        <translation>&amp;DPI:</translation>
    </message>
    <message>
        <source>Paper (small fonts, thin lines)</source>
        <translation>Artikel (kleine Schrift, dünne Linien)</translation>
    </message>
    <message>
        <source>Slide (large fonts)</source>
        <translation>Folie (große Schrift)</translation>
    </message>
    <message>
        <source>&amp;Style:</source>
        <translation>&amp;Stil:</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>Dur&amp;chsuchen…</translation>
    </message>
    <message>
        <source>F&amp;ile:</source>
        <translation>Dat&amp;ei:</translation>
    </message>
    <message>
        <source>This view only</source>
        <translation>Nur diese Ansicht</translation>
    </message>
    <message>
        <source>Every head of this layer (heatmaps)</source>
        <translation>Alle Köpfe dieser Schicht (Heatmaps)</translation>
    </message>
    <message>
        <source>Every layer at this head (heatmaps)</source>
        <translation>Alle Schichten bei diesem Kopf (Heatmaps)</translation>
    </message>
    <message>
        <source>One figure of several heatmaps in a grid, captioned (a), (b), …</source>
        <translation>Eine Abbildung aus mehreren Heatmaps in einem Raster, beschriftet mit (a), (b), …</translation>
    </message>
    <message>
        <source>&amp;Panels:</source>
        <translation>&amp;Teilbilder:</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>Columns of the panel grid</source>
        <translation>Spalten des Teilbildrasters</translation>
    </message>
    <message>
        <source>C&amp;olumns:</source>
        <translation>S&amp;palten:</translation>
    </message>
    <message>
        <source>%1 files (*.%2)</source>
        <translation>%1-Dateien (*.%2)</translation>
    </message>
    <message>
        <source>3.25 in: one journal column; 6.75 in: two columns; 10 in: a slide</source>
        <translation>3,25 in: eine Zeitschriftenspalte; 6,75 in: zwei Spalten; 10 in: eine Folie</translation>
    </message>
    <message>
        <source>Mark the selected &amp;layer</source>
        <translation>Gewählte Sc&amp;hicht markieren</translation>
    </message>
    <message>
        <source>Draw the dashed line at the selected layer (curves) or its outline (head grid); figures show no selection by default</source>
        <translation>Die gestrichelte Linie an der gewählten Schicht (Kurven) oder ihren Rahmen (Kopfraster) zeichnen; Abbildungen zeigen sonst keine Auswahl</translation>
    </message>
    <message>
        <source>Mark the selected &amp;query</source>
        <translation>Gewählte &amp;Abfrage markieren</translation>
    </message>
    <message>
        <source>Outline the selected query&apos;s row in the heatmap</source>
        <translation>Die Zeile der gewählten Abfrage in der Heatmap umrahmen</translation>
    </message>
</context>
<context>
    <name>attnx::GroupCurvesView</name>
    <message>
        <source>Per layer: the mean over a group&apos;s examples of the attention mass (mean over heads) from the query to one kind of token, with the 95% confidence interval of that mean. Click near a layer to select it.</source>
        <translation>Je Schicht: das Mittel über die Beispiele einer Gruppe der Aufmerksamkeitsmasse (Mittel über Köpfe) von der Abfrage auf eine Token-Art, mit dem 95-%-Konfidenzintervall dieses Mittels. Klicken Sie nahe einer Schicht, um sie zu wählen.</translation>
    </message>
    <message>
        <source>No dataset results loaded.
Run a dataset or open its stats.json.</source>
        <translation>Keine Datensatzergebnisse geladen.
Analysieren Sie einen Datensatz oder öffnen Sie seine stats.json.</translation>
    </message>
    <message>
        <source>Both groups are empty.
Choose other groups in the toolbar.</source>
        <translation>Beide Gruppen sind leer.
Wählen Sie in der Werkzeugleiste andere Gruppen.</translation>
    </message>
    <message>
        <source>Attention %1 by layer · mean over examples, band 95% CI</source>
        <translation>Aufmerksamkeit: %1 je Schicht · Mittel über Beispiele, Band 95-%-KI</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>Schicht %1</translation>
    </message>
    <message>
        <source>%1: %2 [%3, %4]</source>
        <translation>%1: %2 [%3, %4]</translation>
    </message>
</context>
<context>
    <name>attnx::GroupDiagnosticsView</name>
    <message>
        <source>%1% (%2 of %3)</source>
        <translation>%1 % (%2 von %3)</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>Beispiele</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Trefferquote</translation>
    </message>
    <message>
        <source>FirstTok@1</source>
        <translation>FirstTok@1</translation>
    </message>
    <message>
        <source>Mean EM</source>
        <translation>Mittlere EM</translation>
    </message>
    <message>
        <source>Mean F1</source>
        <translation>Mittlerer F1</translation>
    </message>
    <message>
        <source>Collapse</source>
        <translation>Kollaps</translation>
    </message>
    <message>
        <source>Anchor dominance</source>
        <translation>Ankerdominanz</translation>
    </message>
    <message>
        <source>Top soft head 1</source>
        <translation>Stärkster Soft-Kopf 1</translation>
    </message>
    <message>
        <source>Top soft head 2</source>
        <translation>Stärkster Soft-Kopf 2</translation>
    </message>
    <message>
        <source>Top soft head 3</source>
        <translation>Stärkster Soft-Kopf 3</translation>
    </message>
    <message>
        <source>Share of examples whose first predicted token is the gold answer&apos;s first token (examples with a gold answer)</source>
        <translation>Anteil der Beispiele, deren erstes vorhergesagtes Token das erste Token der Referenzantwort ist (Beispiele mit Referenzantwort)</translation>
    </message>
    <message>
        <source>Share of examples whose query attention collapsed onto a few tokens</source>
        <translation>Anteil der Beispiele, deren Abfrage-Aufmerksamkeit auf wenige Tokens kollabiert ist</translation>
    </message>
    <message>
        <source>Share of examples whose query attends to the anchor far more than to the soft tokens</source>
        <translation>Anteil der Beispiele, deren Abfrage dem Anker weit mehr Aufmerksamkeit schenkt als den Soft-Tokens</translation>
    </message>
    <message>
        <source>The heads with the largest mean attention mass to soft tokens</source>
        <translation>Die Köpfe mit der größten mittleren Aufmerksamkeitsmasse auf Soft-Tokens</translation>
    </message>
    <message>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>layer %1 head %2: %3</source>
        <translation>Schicht %1 Kopf %2: %3</translation>
    </message>
    <message>
        <source>Set-level diagnostics</source>
        <translation>Diagnose auf Datensatzebene</translation>
    </message>
</context>
<context>
    <name>attnx::HeadGridView</name>
    <message>
        <source>Mass to %1 tokens</source>
        <translation>Masse auf Tokens (%1)</translation>
    </message>
    <message>
        <source>Entropy of the row</source>
        <translation>Entropie der Zeile</translation>
    </message>
    <message>
        <source>Attention matrix thumbnails</source>
        <translation>Miniaturen der Aufmerksamkeitsmatrix</translation>
    </message>
    <message>
        <source>What each cell shows for the selected query: the share of its attention that goes to one kind of token, the entropy of its attention row (nats), or a thumbnail of the head&apos;s whole attention matrix</source>
        <translation>Was jede Zelle für die gewählte Abfrage zeigt: den Anteil ihrer Aufmerksamkeit, der auf eine Token-Art entfällt, die Entropie ihrer Aufmerksamkeitszeile (nats) oder eine Miniatur der gesamten Aufmerksamkeitsmatrix des Kopfes</translation>
    </message>
    <message>
        <source>Cells:</source>
        <translation>Zellen:</translation>
    </message>
    <message>
        <source>Layers (rows) x heads (columns). Click a cell to show that layer and head; click a layer label to show the mean over its heads.</source>
        <translation>Schichten (Zeilen) × Köpfe (Spalten). Klicken Sie auf eine Zelle, um diese Schicht und diesen Kopf anzuzeigen; ein Klick auf eine Schichtbeschriftung zeigt das Mittel über ihre Köpfe.</translation>
    </message>
    <message>
        <source>No run yet.
The layer x head grid appears after a run.</source>
        <translation>Noch kein Lauf.
Das Raster aus Schichten × Köpfen erscheint nach einem Lauf.</translation>
    </message>
    <message>
        <source>No attention was captured in this run.</source>
        <translation>In diesem Lauf wurde keine Aufmerksamkeit erfasst.</translation>
    </message>
    <message>
        <source>Attention matrices (each scaled to its own range, square root)</source>
        <translation>Aufmerksamkeitsmatrizen (jede auf ihren eigenen Bereich skaliert, Quadratwurzel)</translation>
    </message>
    <message>
        <source>Step %1 rows (each scaled to its own range, square root)</source>
        <translation>Zeilen von Schritt %1 (jede auf ihren eigenen Bereich skaliert, Quadratwurzel)</translation>
    </message>
    <message>
        <source>The selected query&apos;s row was not captured.</source>
        <translation>Die Zeile der gewählten Abfrage wurde nicht erfasst.</translation>
    </message>
    <message>
        <source>entropy (nats)</source>
        <translation>Entropie (nats)</translation>
    </message>
    <message>
        <source>mass to %1 tokens</source>
        <translation>Masse auf Tokens (%1)</translation>
    </message>
    <message>
        <source>%1 from %2 (position %3)</source>
        <translation>%1 von %2 (Position %3)</translation>
    </message>
    <message>
        <source>attention mass</source>
        <translation>Aufmerksamkeitsmasse</translation>
    </message>
    <message>
        <source>Layer %1, head %2</source>
        <translation>Schicht %1, Kopf %2</translation>
    </message>
    <message>
        <source>entropy %1 nats</source>
        <translation>Entropie %1 nats</translation>
    </message>
    <message>
        <source>mass to %1: %2</source>
        <translation>Masse auf Tokens (%1): %2</translation>
    </message>
    <message>
        <source>Layer %1, head %2: %3</source>
        <translation>Schicht %1, Kopf %2: %3</translation>
    </message>
</context>
<context>
    <name>attnx::HeatmapView</name>
    <message>
        <source>Colour map of the attention weights</source>
        <translation>Farbskala der Aufmerksamkeitsgewichte</translation>
    </message>
    <message>
        <source>How weights map to colours: linear, logarithmic (shows small weights), or a power curve with the gamma on the right</source>
        <translation>Wie Gewichte auf Farben abgebildet werden: linear, logarithmisch (zeigt kleine Gewichte) oder als Potenzkurve mit dem Gamma rechts daneben</translation>
    </message>
    <message>
        <source>γ </source>
        <translation>γ </translation>
    </message>
    <message>
        <source>Gamma of the power scale: below 1 brightens small weights</source>
        <translation>Gamma der Potenzskala: Werte unter 1 hellen kleine Gewichte auf</translation>
    </message>
    <message>
        <source>Fit range</source>
        <translation>Bereich anpassen</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>Zoom zurücksetzen</translation>
    </message>
    <message>
        <source>Show the whole matrix again (also: double-click the plot)</source>
        <translation>Wieder die ganze Matrix zeigen (auch: Doppelklick auf das Diagramm)</translation>
    </message>
    <message>
        <source>attention weight</source>
        <translation>Aufmerksamkeitsgewicht</translation>
    </message>
    <message>
        <source>key (attended to)</source>
        <translation>Schlüssel (Ziel der Aufmerksamkeit)</translation>
    </message>
    <message>
        <source>query (attending from)</source>
        <translation>Abfrage (Quelle der Aufmerksamkeit)</translation>
    </message>
    <message>
        <source>The cell under the mouse: query token, key token and weight</source>
        <translation>Die Zelle unter dem Mauszeiger: Abfrage-Token, Schlüssel-Token und Gewicht</translation>
    </message>
    <message>
        <source>Hover over a cell to read its weight; click to select its query.</source>
        <translation>Zeigen Sie auf eine Zelle, um ihr Gewicht abzulesen; ein Klick wählt ihre Abfrage.</translation>
    </message>
    <message>
        <source>No attention to show yet.
Run a prompt to fill this view.</source>
        <translation>Noch keine Aufmerksamkeit anzuzeigen.
Führen Sie einen Prompt aus, um diese Ansicht zu füllen.</translation>
    </message>
    <message>
        <source>Attention of the selected layer: rows are queries, columns are keys. Drag to pan, wheel to zoom, click a cell to select its query.</source>
        <translation>Aufmerksamkeit der gewählten Schicht: Zeilen sind Abfragen, Spalten sind Schlüssel. Ziehen verschiebt, das Mausrad zoomt, ein Klick auf eine Zelle wählt ihre Abfrage.</translation>
    </message>
    <message>
        <source>The selected layer was not captured in this run.</source>
        <translation>Die gewählte Schicht wurde in diesem Lauf nicht erfasst.</translation>
    </message>
    <message>
        <source>%1 @%2</source>
        <translation>%1 @%2</translation>
    </message>
    <message>
        <source>query %1 %2 [%3] → key %4 %5 [%6]: weight %7</source>
        <translation>Abfrage %1 %2 [%3] → Schlüssel %4 %5 [%6]: Gewicht %7</translation>
    </message>
    <message>
        <source>Stretch the colours over the shown weights instead of the full range 0 to 1 (rows with a single allowed key, such as position 0&apos;s weight 1 on itself, are left out)</source>
        <translation>Die Farben über die gezeigten Gewichte strecken statt über den ganzen Bereich 0 bis 1 (Zeilen mit nur einem erlaubten Schlüssel, etwa das Gewicht 1 von Position 0 auf sich selbst, bleiben außen vor)</translation>
    </message>
    <message>
        <source>Layer %1 · %2</source>
        <translation>Schicht %1 · %2</translation>
    </message>
    <message>
        <source>%1 · step %2 → %3</source>
        <translation>%1 · Schritt %2 → %3</translation>
    </message>
    <message>
        <source>Soft + BOS + anchor</source>
        <translation>Soft + BOS + Anker</translation>
    </message>
    <message>
        <source>Zoom to the soft tokens, BOS and anchor, which a long prompt leaves a sliver (Ctrl+B)</source>
        <translation>Auf die Soft-Tokens, BOS und den Anker zoomen, die ein langer Prompt zu einem schmalen Streifen macht (Strg+B)</translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation>Präfix</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Zurücksetzen</translation>
    </message>
</context>
<context>
    <name>attnx::InferenceController</name>
    <message>
        <source>layer %1 / %2</source>
        <translation>Schicht %1 / %2</translation>
    </message>
    <message>
        <source>token %1 / %2</source>
        <translation>Token %1 / %2</translation>
    </message>
    <message>
        <source>step %1 / %2</source>
        <translation>Schritt %1 / %2</translation>
    </message>
</context>
<context>
    <name>attnx::InferenceWorker</name>
    <message>
        <source>out of memory</source>
        <translation>nicht genügend Speicher</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
    <message>
        <source>No model directory chosen.</source>
        <translation>Kein Modellordner gewählt.</translation>
    </message>
    <message>
        <source>loading %1</source>
        <translation>%1 wird geladen</translation>
    </message>
    <message>
        <source>Soft tokens are requested but no soft-token file is chosen.</source>
        <translation>Soft-Tokens sind angefordert, aber keine Soft-Token-Datei ist gewählt.</translation>
    </message>
    <message>
        <source>No results file chosen for the dataset run.</source>
        <translation>Für die Datensatzanalyse ist keine Ergebnisdatei gewählt.</translation>
    </message>
</context>
<context>
    <name>attnx::InputPanel</name>
    <message>
        <source>&amp;Run</source>
        <translation>A&amp;usführen</translation>
    </message>
    <message>
        <source>Run the model on this input and capture attention (Ctrl+R).
A run requested while another is busy replaces a waiting one.</source>
        <translation>Das Modell mit dieser Eingabe ausführen und die Aufmerksamkeit erfassen (Ctrl+R).
Ein Lauf, der während eines laufenden angefordert wird, ersetzt einen wartenden.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop the running job at the next layer (Esc). The shown result stays.</source>
        <translation>Den laufenden Auftrag bei der nächsten Schicht anhalten (Esc). Das angezeigte Ergebnis bleibt erhalten.</translation>
    </message>
    <message>
        <source>Progress of the running job, layer by layer</source>
        <translation>Fortschritt des laufenden Auftrags, Schicht für Schicht</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Hugging Face model folder (config.json, *.safetensors, tokenizer.json).
Type a path and press Enter, or pick a recent one.</source>
        <translation>Hugging-Face-Modellordner (config.json, *.safetensors, tokenizer.json).
Geben Sie einen Pfad ein und drücken Sie Enter, oder wählen Sie einen zuletzt verwendeten.</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Choose a model folder (Ctrl+O)</source>
        <translation>Modellordner wählen (Ctrl+O)</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Soft tokens: a .safetensors, .pt or .npy file with one tensor [M, hidden]
(or [1, M, hidden]), fed before everything else as inputs_embeds rows.</source>
        <translation>Soft-Tokens: eine .safetensors-, .pt- oder .npy-Datei mit einem Tensor [M, hidden]
(oder [1, M, hidden]), der vor allem anderen als inputs_embeds-Zeilen eingespeist wird.</translation>
    </message>
    <message>
        <source>Choose a soft-token file</source>
        <translation>Soft-Token-Datei wählen</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Run without soft tokens</source>
        <translation>Ohne Soft-Tokens ausführen</translation>
    </message>
    <message>
        <source>Soft tokens:</source>
        <translation>Soft-Tokens:</translation>
    </message>
    <message>
        <source>optional, e.g. &quot;Answer:&quot;</source>
        <translation>optional, z. B. „Answer:“</translation>
    </message>
    <message>
        <source>Anchor text placed after the soft tokens and before the prompt.
Token ids work too: &quot;ids: 5, 6&quot;.</source>
        <translation>Ankertext nach den Soft-Tokens und vor dem Prompt.
Token-IDs gehen auch: „ids: 5, 6“.</translation>
    </message>
    <message>
        <source>Anchor:</source>
        <translation>Anker:</translation>
    </message>
    <message>
        <source>Prompt text, or token ids: ids: 1, 2, 3</source>
        <translation>Prompt-Text oder Token-IDs: ids: 1, 2, 3</translation>
    </message>
    <message>
        <source>The prompt. To feed exact token ids (models without a tokenizer, or to bypass it)
write &quot;ids:&quot; followed by the ids, e.g. &quot;ids: 1, 15, 42&quot;.
Alone (no soft tokens, no anchor) a text prompt gets the model&apos;s special tokens.</source>
        <translation>Der Prompt. Um genaue Token-IDs einzuspeisen (Modelle ohne Tokenizer oder um ihn zu umgehen),
schreiben Sie „ids:“ gefolgt von den IDs, z. B. „ids: 1, 15, 42“.
Allein (ohne Soft-Tokens, ohne Anker) erhält ein Text-Prompt die Spezial-Tokens des Modells.</translation>
    </message>
    <message>
        <source>Prompt:</source>
        <translation>Prompt:</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>Optionen</translation>
    </message>
    <message>
        <source>Greedy tokens to generate after the input; each step&apos;s attention
is captured and can be chosen with the step selector.</source>
        <translation>Anzahl der nach der Eingabe greedy zu generierenden Tokens; die Aufmerksamkeit jedes Schritts
wird erfasst und kann mit der Schrittauswahl gewählt werden.</translation>
    </message>
    <message>
        <source>stop at end of sequence</source>
        <translation>am Sequenzende anhalten</translation>
    </message>
    <message>
        <source>Stop generating once the model emits its end-of-sequence token
(as named in generation_config.json).</source>
        <translation>Die Generierung beenden, sobald das Modell sein Sequenzende-Token ausgibt
(wie in generation_config.json angegeben).</translation>
    </message>
    <message>
        <source>Generate:</source>
        <translation>Generieren:</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>automatisch</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <source>Where the model runs; auto takes the GPU when there is one.
Changing it reloads the model.</source>
        <translation>Wo das Modell läuft; „automatisch“ nimmt die GPU, falls vorhanden.
Eine Änderung lädt das Modell neu.</translation>
    </message>
    <message>
        <source>Precision of the weights. Changing it reloads the model.</source>
        <translation>Genauigkeit der Gewichte. Eine Änderung lädt das Modell neu.</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Gerät:</translation>
    </message>
    <message>
        <source>full matrices</source>
        <translation>volle Matrizen</translation>
    </message>
    <message>
        <source>last row only</source>
        <translation>nur letzte Zeile</translation>
    </message>
    <message>
        <source>Full keeps layers x heads x T x T values; last row keeps only the attention of the
last position (what predicts the next token) and needs T times less memory.</source>
        <translation>„Volle Matrizen“ behält Schichten × Köpfe × T × T Werte; „nur letzte Zeile“ behält nur die Aufmerksamkeit der
letzten Position (die das nächste Token vorhersagt) und braucht T-mal weniger Speicher.</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>Layers to capture: empty or &quot;all&quot;, or a list such as 0,2,5-7</source>
        <translation>Zu erfassende Schichten: leer oder „all“ für alle, oder eine Liste wie 0,2,5-7</translation>
    </message>
    <message>
        <source>Capture:</source>
        <translation>Erfassen:</translation>
    </message>
    <message>
        <source>Soft-token file</source>
        <translation>Soft-Token-Datei</translation>
    </message>
    <message>
        <source>Soft tokens (*.safetensors *.pt *.npy);;All files (*)</source>
        <translation>Soft-Tokens (*.safetensors *.pt *.npy);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>wird gestartet…</translation>
    </message>
    <message>
        <source>choose one with the prefix field beside the file</source>
        <translation>wählen Sie eines mit dem Präfix-Feld neben der Datei</translation>
    </message>
    <message>
        <source>the only one</source>
        <translation>das einzige</translation>
    </message>
    <message>
        <source>For a file of several soft prefixes [N, M, hidden] (one per example): the prefix to
run, 0 to N-1.</source>
        <translation>Für eine Datei mit mehreren Soft-Präfixen [N, M, hidden] (eines pro Beispiel): das
auszuführende Präfix, 0 bis N-1.</translation>
    </message>
    <message>
        <source>Prefix:</source>
        <translation>Präfix:</translation>
    </message>
    <message>
        <source>BOS after the soft tokens</source>
        <translation>BOS nach den Soft-Tokens</translation>
    </message>
    <message>
        <source>Insert the model&apos;s beginning-of-sequence token between the soft tokens and the
anchor. Applies only with soft tokens.</source>
        <translation>Das Sequenzanfangs-Token des Modells zwischen den Soft-Tokens und dem
Anker einfügen. Gilt nur mit Soft-Tokens.</translation>
    </message>
    <message>
        <source>optional second sentence</source>
        <translation>optionaler zweiter Satz</translation>
    </message>
    <message>
        <source>Encoder models (BERT): the second sentence of a pair. The prompt and this text are
tokenized together as [CLS] A [SEP] B [SEP], with token types 0 and 1.</source>
        <translation>Encoder-Modelle (BERT): der zweite Satz eines Paars. Prompt und dieser Text werden
gemeinsam als [CLS] A [SEP] B [SEP] tokenisiert, mit den Token-Typen 0 und 1.</translation>
    </message>
    <message>
        <source>Sentence B:</source>
        <translation>Satz B:</translation>
    </message>
    <message>
        <source>reading…</source>
        <translation>wird gelesen…</translation>
    </message>
    <message>
        <source>cannot read the file</source>
        <translation>Datei nicht lesbar</translation>
    </message>
    <message>
        <source>one prefix %1</source>
        <translation>ein Präfix %1</translation>
    </message>
    <message>
        <source>of %1 prefixes %2</source>
        <translation>von %1 Präfixen %2</translation>
    </message>
    <message>
        <source>Memory: about %1 for %2 tokens</source>
        <translation>Speicher: etwa %1 für %2 Tokens</translation>
    </message>
    <message>
        <source>Memory: about %1 for %2 tokens, more than the %3 available</source>
        <translation>Speicher: etwa %1 für %2 Tokens, mehr als die verfügbaren %3</translation>
    </message>
    <message>
        <source>Predicted peak memory of this run (attnx plan):
weights %1, activations %2, attention workspace %3,
captured attention %4, logits %5, cache %6, runtime %7</source>
        <translation>Vorhergesagter Spitzenspeicher dieses Laufs (attnx plan):
Gewichte %1, Aktivierungen %2, Attention-Arbeitsspeicher %3,
erfasste Attention %4, Logits %5, Cache %6, Laufzeit %7</translation>
    </message>
</context>
<context>
    <name>attnx::KnockoutChoices</name>
    <message>
        <source>Knock out head %1.%2&apos;s attention to the %3 tokens</source>
        <translation>Aufmerksamkeit von Kopf %1.%2 auf die %3-Tokens ausschalten</translation>
    </message>
    <message>
        <source>Knock out every head of layer %1&apos;s attention to the %2 tokens</source>
        <translation>Aufmerksamkeit aller Köpfe von Schicht %1 auf die %2-Tokens ausschalten</translation>
    </message>
    <message>
        <source>Knock out every head&apos;s attention to token %1 %2</source>
        <translation>Aufmerksamkeit aller Köpfe auf Token %1 %2 ausschalten</translation>
    </message>
    <message>
        <source>Knock out every head&apos;s attention to the %1 tokens</source>
        <translation>Aufmerksamkeit aller Köpfe auf die %1-Tokens ausschalten</translation>
    </message>
    <message>
        <source>Knock out head %1.%2&apos;s attention to token %3 %4</source>
        <translation>Aufmerksamkeit von Kopf %1.%2 auf Token %3 %4 ausschalten</translation>
    </message>
    <message>
        <source>Runs the input again with knockout %1 and opens it beside this run</source>
        <translation>Führt die Eingabe mit Knockout %1 erneut aus und öffnet sie neben diesem Lauf</translation>
    </message>
</context>
<context>
    <name>attnx::LayerCurvesPlot</name>
    <message>
        <source>layer</source>
        <translation>Schicht</translation>
    </message>
</context>
<context>
    <name>attnx::LayerCurvesView</name>
    <message>
        <source>Show min / max over heads</source>
        <translation>Min. / Max. über Köpfe zeigen</translation>
    </message>
    <message>
        <source>Add dotted curves for the smallest and largest head of each layer</source>
        <translation>Gepunktete Kurven für den kleinsten und größten Kopf jeder Schicht hinzufügen</translation>
    </message>
    <message>
        <source>attention mass</source>
        <translation>Aufmerksamkeitsmasse</translation>
    </message>
    <message>
        <source>No run yet.
The per-layer attention curves appear after a run.</source>
        <translation>Noch kein Lauf.
Die Aufmerksamkeitskurven je Schicht erscheinen nach einem Lauf.</translation>
    </message>
    <message>
        <source>How much of the selected query&apos;s attention goes to each kind of token, layer by layer. Click near a layer to select it.</source>
        <translation>Wie viel der Aufmerksamkeit der gewählten Abfrage auf jede Token-Art entfällt, Schicht für Schicht. Klicken Sie nahe einer Schicht, um sie zu wählen.</translation>
    </message>
    <message>
        <source>The selected query&apos;s row was not captured in this run.</source>
        <translation>Die Zeile der gewählten Abfrage wurde in diesem Lauf nicht erfasst.</translation>
    </message>
    <message>
        <source>query %1 %2</source>
        <translation>Abfrage %1 %2</translation>
    </message>
    <message>
        <source>step %1 (query %2)</source>
        <translation>Schritt %1 (Abfrage %2)</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>Schicht %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Attention from %1 by layer (mean over heads, band ±1 sd)</source>
        <translation>Aufmerksamkeit von %1 nach Schicht (Mittel über Köpfe, Band ±1 SD)</translation>
    </message>
</context>
<context>
    <name>attnx::LensView</name>
    <message>
        <source>The logit lens: each layer&apos;s residual stream read through the model&apos;s final norm and LM head, at the position that predicts the next token</source>
        <translation>Die Logit-Linse: der Residualstrom jeder Schicht, gelesen durch die letzte Normierung und den LM-Kopf des Modells, an der Position, die das nächste Token vorhersagt</translation>
    </message>
    <message>
        <source>Target token id:</source>
        <translation>Ziel-Token-ID:</translation>
    </message>
    <message>
        <source>the prediction</source>
        <translation>die Vorhersage</translation>
    </message>
    <message>
        <source>The token whose rank and probability are followed through the layers (for example the gold answer&apos;s first token)</source>
        <translation>Das Token, dessen Rang und Wahrscheinlichkeit durch die Schichten verfolgt werden (zum Beispiel das erste Token der Referenzantwort)</translation>
    </message>
    <message>
        <source>embeddings</source>
        <translation>Einbettungen</translation>
    </message>
    <message>
        <source>output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>after layer %1</source>
        <translation>nach Schicht %1</translation>
    </message>
    <message>
        <source>Run the model to see its predictions by layer.</source>
        <translation>Führen Sie das Modell aus, um seine Vorhersagen je Schicht zu sehen.</translation>
    </message>
    <message>
        <source>This run has no logit lens.</source>
        <translation>Dieser Lauf hat keine Logit-Linse.</translation>
    </message>
    <message>
        <source>The logit lens needs an LM head; %1 has none.</source>
        <translation>Die Logit-Linse braucht einen LM-Kopf; %1 hat keinen.</translation>
    </message>
    <message>
        <source>residual</source>
        <translation>Residuum</translation>
    </message>
    <message>
        <source>top %1</source>
        <translation>Platz %1</translation>
    </message>
    <message>
        <source>target rank</source>
        <translation>Rang des Ziels</translation>
    </message>
    <message>
        <source>target p</source>
        <translation>p des Ziels</translation>
    </message>
    <message>
        <source>token id %1, probability %2</source>
        <translation>Token-ID %1, Wahrscheinlichkeit %2</translation>
    </message>
    <message>
        <source>Cannot show the logit lens: %1</source>
        <translation>Die Logit-Lens kann nicht angezeigt werden: %1</translation>
    </message>
    <message>
        <source>target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>target p %1</source>
        <translation>Ziel-p %1</translation>
    </message>
    <message>
        <source>target rank %1</source>
        <translation>Zielrang %1</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>Wahrscheinlichkeit</translation>
    </message>
    <message>
        <source>1 / rank</source>
        <translation>1 / Rang</translation>
    </message>
    <message>
        <source>residual (0: embeddings, %1: output)</source>
        <translation>Residuum (0: Einbettungen, %1: Ausgabe)</translation>
    </message>
    <message>
        <source>Target %1 “%2”</source>
        <translation>Ziel %1 „%2“</translation>
    </message>
    <message>
        <source>Next-token predictions at position %1 %2; target %3 %4</source>
        <translation>Vorhersagen des nächsten Tokens an Position %1 %2; Ziel %3 %4</translation>
    </message>
</context>
<context>
    <name>attnx::MainWindow</name>
    <message>
        <source>attnx — attention explorer</source>
        <translation>attnx — Aufmerksamkeits-Explorer</translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation>Modell ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open a Hugging Face model folder (Ctrl+O)</source>
        <translation>Einen Hugging-Face-Modellordner öffnen (Ctrl+O)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>A&amp;usführen</translation>
    </message>
    <message>
        <source>Run the model on the input and capture attention (Ctrl+R)</source>
        <translation>Das Modell mit der Eingabe ausführen und die Aufmerksamkeit erfassen (Ctrl+R)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>Abb&amp;rechen</translation>
    </message>
    <message>
        <source>Cancel the running job; the shown result stays (Esc)</source>
        <translation>Den laufenden Auftrag abbrechen; das angezeigte Ergebnis bleibt erhalten (Esc)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Open the built-in &amp;demo</source>
        <translation>Eingebaute &amp;Demo öffnen</translation>
    </message>
    <message>
        <source>Load the small demo model and run its soft-token example</source>
        <translation>Das kleine Demo-Modell laden und sein Soft-Token-Beispiel ausführen</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Demo &amp;examples</source>
        <translation>Demo-Bei&amp;spiele</translation>
    </message>
    <message>
        <source>Dismiss this message</source>
        <translation>Diese Meldung schließen</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Heads</source>
        <translation>Köpfe</translation>
    </message>
    <message>
        <source>Diagnostics</source>
        <translation>Diagnose</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Navigation</source>
        <translation>Navigation</translation>
    </message>
    <message>
        <source>Layer </source>
        <translation>Schicht </translation>
    </message>
    <message>
        <source>Layer shown in the heatmap (Up / Down in the views)</source>
        <translation>In der Heatmap gezeigte Schicht (Auf / Ab in den Ansichten)</translation>
    </message>
    <message>
        <source>  Head </source>
        <translation>  Kopf </translation>
    </message>
    <message>
        <source>Head shown in the heatmap, or all heads aggregated
(Left / Right in the views)</source>
        <translation>In der Heatmap gezeigter Kopf oder alle Köpfe zusammengefasst
(Links / Rechts in den Ansichten)</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>mean over heads</source>
        <translation>Mittel über Köpfe</translation>
    </message>
    <message>
        <source>max over heads</source>
        <translation>Maximum über Köpfe</translation>
    </message>
    <message>
        <source>How the heads are combined when the head is &quot;all&quot;</source>
        <translation>Wie die Köpfe zusammengefasst werden, wenn als Kopf „alle“ gewählt ist</translation>
    </message>
    <message>
        <source>Device and precision of the model</source>
        <translation>Gerät und Genauigkeit des Modells</translation>
    </message>
    <message>
        <source>Model family, parameters, weight memory</source>
        <translation>Modellfamilie, Parameter, Speicher der Gewichte</translation>
    </message>
    <message>
        <source>Time the last run took</source>
        <translation>Dauer des letzten Laufs</translation>
    </message>
    <message>
        <source>Memory held by the shown result (captured attention, logits)</source>
        <translation>Speicherbedarf des angezeigten Ergebnisses (erfasste Aufmerksamkeit, Logits)</translation>
    </message>
    <message>
        <source>no model</source>
        <translation>kein Modell</translation>
    </message>
    <message>
        <source>Open a model folder</source>
        <translation>Einen Modellordner öffnen</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
    <message>
        <source>Choose a model folder first (Ctrl+O).</source>
        <translation>Wählen Sie zuerst einen Modellordner (Ctrl+O).</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>The built-in demo is not available: %1</source>
        <translation>Die eingebaute Demo ist nicht verfügbar: %1</translation>
    </message>
    <message>
        <source>Example &quot;%1&quot;: the expected answer is &quot;%2&quot;</source>
        <translation>Beispiel „%1“: Die erwartete Antwort ist „%2“</translation>
    </message>
    <message>
        <source>The demo is not available</source>
        <translation>Die Demo ist nicht verfügbar</translation>
    </message>
    <message>
        <source>Expected answer: %1</source>
        <translation>Erwartete Antwort: %1</translation>
    </message>
    <message>
        <source>%1 · %2 parameters · %3</source>
        <translation>%1 · %2 Parameter · %3</translation>
    </message>
    <message>
        <source>attnx — %1</source>
        <translation>attnx — %1</translation>
    </message>
    <message>
        <source>built-in demo</source>
        <translation>eingebaute Demo</translation>
    </message>
    <message>
        <source>Loaded %1</source>
        <translation>%1 geladen</translation>
    </message>
    <message>
        <source>run %1 s</source>
        <translation>Lauf %1 s</translation>
    </message>
    <message>
        <source>result %1</source>
        <translation>Ergebnis %1</translation>
    </message>
    <message>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>Run finished</source>
        <translation>Lauf beendet</translation>
    </message>
    <message>
        <source>Cannot open the model: %1</source>
        <translation>Das Modell kann nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <source>The run failed: %1</source>
        <translation>Der Lauf ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>Cancelled; the previous result is still shown</source>
        <translation>Abgebrochen; das vorherige Ergebnis wird weiter angezeigt</translation>
    </message>
    <message>
        <source>&amp;Export figure…</source>
        <translation>Abbildung &amp;exportieren…</translation>
    </message>
    <message>
        <source>Save the focused view as a PDF, SVG or PNG figure (Ctrl+E)</source>
        <translation>Die fokussierte Ansicht als PDF-, SVG- oder PNG-Abbildung speichern (Ctrl+E)</translation>
    </message>
    <message>
        <source>&amp;Copy as image</source>
        <translation>Als Bild &amp;kopieren</translation>
    </message>
    <message>
        <source>Copy the focused view to the clipboard (Ctrl+Shift+C)</source>
        <translation>Die fokussierte Ansicht in die Zwischenablage kopieren (Ctrl+Shift+C)</translation>
    </message>
    <message>
        <source>Figure saved to %1</source>
        <translation>Abbildung gespeichert unter %1</translation>
    </message>
    <message>
        <source>Figure copied to the clipboard</source>
        <translation>Abbildung in die Zwischenablage kopiert</translation>
    </message>
    <message>
        <source>Copy as image</source>
        <translation>Als Bild kopieren</translation>
    </message>
    <message>
        <source>Export &amp;statistics…</source>
        <translation>S&amp;tatistiken exportieren…</translation>
    </message>
    <message>
        <source>Save the attention statistics of the selected query as JSON or CSV (Ctrl+Shift+S)</source>
        <translation>Die Aufmerksamkeitsstatistiken der gewählten Abfrage als JSON oder CSV speichern (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <source>Cannot export the figure: %1</source>
        <translation>Die Abbildung kann nicht exportiert werden: %1</translation>
    </message>
    <message>
        <source>Statistics saved to %1</source>
        <translation>Statistiken gespeichert unter %1</translation>
    </message>
    <message>
        <source>Cannot export the statistics: %1</source>
        <translation>Die Statistiken können nicht exportiert werden: %1</translation>
    </message>
    <message>
        <source>Export statistics</source>
        <translation>Statistiken exportieren</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON-Dateien (*.json)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Progress of the dataset run (Esc cancels it)</source>
        <translation>Fortschritt der Datensatzanalyse (Esc bricht sie ab)</translation>
    </message>
    <message>
        <source>&amp;Analyze dataset…</source>
        <translation>Datensatz &amp;analysieren…</translation>
    </message>
    <message>
        <source>Run the model over an examples file, keeping compact attention statistics per example (Ctrl+Shift+A)</source>
        <translation>Das Modell über eine Beispieldatei laufen lassen und je Beispiel kompakte Aufmerksamkeitsstatistiken speichern (Ctrl+Shift+A)</translation>
    </message>
    <message>
        <source>Analyze the &amp;demo dataset</source>
        <translation>&amp;Demo-Datensatz analysieren</translation>
    </message>
    <message>
        <source>Run the built-in demo model over its 48 soft-token examples</source>
        <translation>Das eingebaute Demo-Modell über seine 48 Soft-Token-Beispiele laufen lassen</translation>
    </message>
    <message>
        <source>&amp;Open results…</source>
        <translation>Ergebnisse ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open the results of a dataset run (stats.json) without running the model</source>
        <translation>Die Ergebnisse einer Datensatzanalyse (stats.json) öffnen, ohne das Modell auszuführen</translation>
    </message>
    <message>
        <source>Compare with a &amp;second run…</source>
        <translation>Mit einem &amp;zweiten Lauf vergleichen…</translation>
    </message>
    <message>
        <source>Open the results of another run of the same examples (another checkpoint, or without soft tokens) to compare the two runs</source>
        <translation>Die Ergebnisse eines weiteren Laufs über dieselben Beispiele öffnen (anderer Checkpoint oder ohne Soft-Tokens), um die beiden Läufe zu vergleichen</translation>
    </message>
    <message>
        <source>Show the &amp;comparison</source>
        <translation>&amp;Vergleich anzeigen</translation>
    </message>
    <message>
        <source>Open the left example in the &amp;explorer</source>
        <translation>Linkes Beispiel im &amp;Explorer öffnen</translation>
    </message>
    <message>
        <source>Run the example shown on the left of the comparison here, in full</source>
        <translation>Das links im Vergleich gezeigte Beispiel hier vollständig ausführen</translation>
    </message>
    <message>
        <source>&amp;Dataset</source>
        <translation>Daten&amp;satz</translation>
    </message>
    <message>
        <source>Dataset run finished: %1 examples, saved in %2</source>
        <translation>Datensatzanalyse beendet: %1 Beispiele, gespeichert in %2</translation>
    </message>
    <message>
        <source>The dataset run failed: %1</source>
        <translation>Die Datensatzanalyse ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Cancelled: %1 / %2 examples are saved in %3; analyze the dataset again to continue</source>
        <translation>Abgebrochen: %1 / %2 Beispiele sind in %3 gespeichert; analysieren Sie den Datensatz erneut, um fortzufahren</translation>
    </message>
    <message>
        <source>A dataset run is under way; cancel it (Esc) before starting another.</source>
        <translation>Eine Datensatzanalyse läuft bereits; brechen Sie sie ab (Esc), bevor Sie eine weitere starten.</translation>
    </message>
    <message>
        <source>Starting the dataset run…</source>
        <translation>Datensatzanalyse wird gestartet…</translation>
    </message>
    <message>
        <source>Open or run a first dataset before comparing a second run with it.</source>
        <translation>Öffnen oder analysieren Sie zuerst einen Datensatz, bevor Sie einen zweiten Lauf damit vergleichen.</translation>
    </message>
    <message>
        <source>Open dataset results</source>
        <translation>Datensatzergebnisse öffnen</translation>
    </message>
    <message>
        <source>Open the results of a second run</source>
        <translation>Ergebnisse eines zweiten Laufs öffnen</translation>
    </message>
    <message>
        <source>Dataset results (*.json);;All files (*)</source>
        <translation>Datensatzergebnisse (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>%1 wird geöffnet…</translation>
    </message>
    <message>
        <source>Cannot open the results: %1</source>
        <translation>Die Ergebnisse können nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <source>%1 holds %2 of %3 examples (an unfinished run)</source>
        <translation>%1 enthält %2 von %3 Beispielen (ein unvollendeter Lauf)</translation>
    </message>
    <message>
        <source>Running example %1 in the explorer…</source>
        <translation>Beispiel %1 wird im Explorer ausgeführt…</translation>
    </message>
    <message>
        <source>&amp;Cancel the dataset run</source>
        <translation>Datensatzlauf &amp;abbrechen</translation>
    </message>
    <message>
        <source>Stop the dataset run; the finished examples stay in its results file (Esc)</source>
        <translation>Den Datensatzlauf anhalten; die fertigen Beispiele bleiben in seiner Ergebnisdatei (Esc)</translation>
    </message>
    <message>
        <source>Cancelling the dataset run…</source>
        <translation>Datensatzlauf wird abgebrochen…</translation>
    </message>
    <message>
        <source>Predictions by layer</source>
        <translation>Vorhersagen je Schicht</translation>
    </message>
    <message>
        <source>Open r&amp;un…</source>
        <translation>&amp;Lauf öffnen…</translation>
    </message>
    <message>
        <source>&amp;Save run…</source>
        <translation>Lauf spei&amp;chern…</translation>
    </message>
    <message>
        <source>Save the shown run (its tokens, attention and analyses) as a run file (Ctrl+S)</source>
        <translation>Den angezeigten Lauf (Tokens, Aufmerksamkeit und Analysen) als Laufdatei speichern (Strg+S)</translation>
    </message>
    <message>
        <source>Recent &amp;files</source>
        <translation>&amp;Zuletzt geöffnete Dateien</translation>
    </message>
    <message>
        <source>Cannot open the run: %1</source>
        <translation>Der Lauf kann nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>%1 wird importiert…</translation>
    </message>
    <message>
        <source>Cannot import the attention: %1</source>
        <translation>Die Aufmerksamkeit kann nicht importiert werden: %1</translation>
    </message>
    <message>
        <source>Layout of the imported attention</source>
        <translation>Aufteilung der importierten Aufmerksamkeit</translation>
    </message>
    <message>
        <source>Segments of the %1 positions, in order (e.g. soft:8,bos:1,anchor:3,text:20);
leave it as it is for all text:</source>
        <translation>Segmente der %1 Positionen, der Reihe nach (z. B. soft:8,bos:1,anchor:3,text:20);
unverändert lassen, wenn alles Text ist:</translation>
    </message>
    <message>
        <source>The layout was not used (%1); every position is shown as text.</source>
        <translation>Die Aufteilung wurde nicht übernommen (%1); alle Positionen werden als Text gezeigt.</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>importiert</translation>
    </message>
    <message>
        <source>from a file</source>
        <translation>aus einer Datei</translation>
    </message>
    <message>
        <source>%1 layers · %2 heads</source>
        <translation>%1 Schichten · %2 Köpfe</translation>
    </message>
    <message>
        <source>%1 · %2 parameters</source>
        <translation>%1 · %2 Parameter</translation>
    </message>
    <message>
        <source>Imported %1</source>
        <translation>%1 importiert</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <source> · attention recomputed from its queries and keys</source>
        <translation> · Aufmerksamkeit aus den Queries und Keys neu berechnet</translation>
    </message>
    <message>
        <source> · save it as a run file with Ctrl+S</source>
        <translation> · mit Strg+S als Laufdatei speichern</translation>
    </message>
    <message>
        <source> · its model folder is not on this machine</source>
        <translation> · sein Modellordner ist auf diesem Rechner nicht vorhanden</translation>
    </message>
    <message>
        <source>There is no run to save yet.</source>
        <translation>Es gibt noch keinen Lauf zum Speichern.</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>%1 wird gespeichert…</translation>
    </message>
    <message>
        <source>Cannot save the run: %1</source>
        <translation>Der Lauf kann nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Run saved to %1</source>
        <translation>Lauf in %1 gespeichert</translation>
    </message>
    <message>
        <source>Open a run file</source>
        <translation>Laufdatei öffnen</translation>
    </message>
    <message>
        <source>Save run</source>
        <translation>Lauf speichern</translation>
    </message>
    <message>
        <source>Run files (*.safetensors)</source>
        <translation>Laufdateien (*.safetensors)</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>Keine zuletzt geöffneten Dateien</translation>
    </message>
    <message>
        <source>%1 no longer exists; it was removed from the recent files.</source>
        <translation>%1 existiert nicht mehr und wurde aus den zuletzt geöffneten Dateien entfernt.</translation>
    </message>
    <message>
        <source>Open a run file saved by attnx or attnx run, without its model, or attention saved by Python (torch.save, NumPy) (Ctrl+Shift+O)</source>
        <translation>Eine von attnx oder attnx run gespeicherte Laufdatei ohne ihr Modell öffnen, oder von Python gespeicherte Aufmerksamkeitsgewichte (torch.save, NumPy) (Strg+Umschalt+O)</translation>
    </message>
    <message>
        <source>Save s&amp;ession…</source>
        <translation>Sitzung speicher&amp;n…</translation>
    </message>
    <message>
        <source>Session %1 restored</source>
        <translation>Sitzung %1 wiederhergestellt</translation>
    </message>
    <message>
        <source>Cannot save the session: %1</source>
        <translation>Die Sitzung kann nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Session saved to %1 (run %2)</source>
        <translation>Sitzung in %1 gespeichert (Lauf %2)</translation>
    </message>
    <message>
        <source>Cannot open the session %1: %2</source>
        <translation>Die Sitzung %1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>Save session</source>
        <translation>Sitzung speichern</translation>
    </message>
    <message>
        <source>attnx sessions (*.attnx)</source>
        <translation>attnx-Sitzungen (*.attnx)</translation>
    </message>
    <message>
        <source>Runs, sessions and saved attention (*.safetensors *.attnx *.pt *.pth *.bin *.npz *.npy);;Run files (*.safetensors);;Sessions (*.attnx);;All files (*)</source>
        <translation>Läufe, Sitzungen und gespeicherte Aufmerksamkeit (*.safetensors *.attnx *.pt *.pth *.bin *.npz *.npy);;Laufdateien (*.safetensors);;Sitzungen (*.attnx);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Exports the heatmap.</source>
        <translation>Exportiert die Heatmap.</translation>
    </message>
    <message>
        <source>Exports the per-layer curves.</source>
        <translation>Exportiert die Kurven je Schicht.</translation>
    </message>
    <message>
        <source>Exports the head grid.</source>
        <translation>Exportiert das Kopfraster.</translation>
    </message>
    <message>
        <source>&amp;Knock out…</source>
        <translation>&amp;Knockout…</translation>
    </message>
    <message>
        <source>Run the shown input again with some heads&apos; attention to some keys removed (L:H:KEYS), and open it beside this run (Ctrl+K)</source>
        <translation>Die gezeigte Eingabe erneut ausführen, ohne die Aufmerksamkeit bestimmter Köpfe auf bestimmte Schlüssel (L:H:KEYS), und neben diesem Lauf öffnen (Strg+K)</translation>
    </message>
    <message>
        <source>Saving the session %1…</source>
        <translation>Sitzung %1 wird gespeichert…</translation>
    </message>
    <message>
        <source>Knock out</source>
        <translation>Knockout</translation>
    </message>
    <message>
        <source>Heads and keys whose attention is removed before the softmax, as L:H:KEYS:
L a layer or all, H a head or all, KEYS soft, bos, anchor, text, special or positions a-b</source>
        <translation>Köpfe und Schlüssel, deren Aufmerksamkeit vor dem Softmax entfernt wird, als L:H:KEYS:
L eine Schicht oder all, H ein Kopf oder all, KEYS soft, bos, anchor, text, special oder Positionen a-b</translation>
    </message>
    <message>
        <source>Run the model first: a knockout runs the shown input again.</source>
        <translation>Zuerst das Modell ausführen: ein Knockout führt die gezeigte Eingabe erneut aus.</translation>
    </message>
    <message>
        <source>Cannot knock out %1: %2</source>
        <translation>Knockout %1 nicht möglich: %2</translation>
    </message>
    <message>
        <source>Running knockout %1…</source>
        <translation>Knockout %1 läuft…</translation>
    </message>
    <message>
        <source>Knockout %1 cancelled</source>
        <translation>Knockout %1 abgebrochen</translation>
    </message>
    <message>
        <source>The knockout %1 failed: %2</source>
        <translation>Der Knockout %1 ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Knockout %1</source>
        <translation>Knockout %1</translation>
    </message>
    <message>
        <source>Knockout %1: prediction %2 → %3, Δ log p(%2) = %4</source>
        <translation>Knockout %1: Vorhersage %2 → %3, Δ log p(%2) = %4</translation>
    </message>
    <message>
        <source>attnx — knockout %1</source>
        <translation>attnx — Knockout %1</translation>
    </message>
    <message>
        <source>knockout %1</source>
        <translation>Knockout %1</translation>
    </message>
    <message>
        <source>(not recorded)</source>
        <translation>(nicht vermerkt)</translation>
    </message>
    <message>
        <source>The knockout %1 did not reproduce the shown run&apos;s input: its model&apos;s tokenizer or its soft-token file changed since the run was made.</source>
        <translation>Der Knockout %1 hat die Eingabe des gezeigten Laufs nicht wiederhergestellt: der Tokenizer seines Modells oder seine Soft-Token-Datei hat sich seit dem Lauf geändert.</translation>
    </message>
    <message>
        <source>a run with token types (a sentence pair) cannot be rerun from its ids yet</source>
        <translation>ein Lauf mit Token-Typen (ein Satzpaar) kann noch nicht aus seinen IDs wiederholt werden</translation>
    </message>
    <message>
        <source>%1 · opened beside</source>
        <translation>%1 · daneben geöffnet</translation>
    </message>
    <message>
        <source>Save the run with the selection, zoom, colours, thresholds and panels, and the open dataset comparison, as a .attnx session to reopen exactly as it is (Ctrl+Alt+S)</source>
        <translation>Den Lauf mit Auswahl, Zoom, Farben, Schwellen und Bereichen sowie den offenen Datensatzvergleich als .attnx-Sitzung speichern, um alles genau so wieder zu öffnen (Strg+Alt+S)</translation>
    </message>
    <message>
        <source>The run finished after a file was opened; the file stays shown (Ctrl+R runs again)</source>
        <translation>Der Lauf endete, nachdem eine Datei geöffnet wurde; die Datei bleibt angezeigt (Strg+R startet ihn erneut)</translation>
    </message>
    <message>
        <source>There is nothing to save yet: no run and no dataset results are shown.</source>
        <translation>Noch gibt es nichts zu speichern: weder ein Lauf noch Datensatzergebnisse werden angezeigt.</translation>
    </message>
    <message>
        <source>Session saved to %1</source>
        <translation>Sitzung in %1 gespeichert</translation>
    </message>
    <message>
        <source>Checking the session&apos;s files (%1)…</source>
        <translation>Die Dateien der Sitzung werden geprüft (%1)…</translation>
    </message>
    <message>
        <source>Dataset run finished: %1 examples, saved in %2; the results opened since stay shown</source>
        <translation>Datensatzlauf beendet: %1 Beispiele, gespeichert in %2; die seither geöffneten Ergebnisse bleiben angezeigt</translation>
    </message>
    <message>
        <source>&amp;Scan heads…</source>
        <translation>Köpfe &amp;untersuchen…</translation>
    </message>
    <message>
        <source>Knock out each head&apos;s attention to the soft tokens (or other keys) in turn and show the change of the prediction per head beside the head grid (Ctrl+Shift+K; Esc cancels)</source>
        <translation>Nacheinander die Aufmerksamkeit jedes Kopfes auf die Soft-Token (oder andere Schlüssel) ausschalten und die Änderung der Vorhersage je Kopf neben dem Kopfraster zeigen (Strg+Umschalt+K; Esc bricht ab)</translation>
    </message>
    <message>
        <source>Causal heads</source>
        <translation>Kausale Köpfe</translation>
    </message>
    <message>
        <source>the model folder %1 this run was made with is not on this machine.</source>
        <translation>der Modellordner %1, mit dem dieser Lauf erstellt wurde, ist auf diesem Rechner nicht vorhanden.</translation>
    </message>
    <message>
        <source>the soft-token file %1 this run was made with is not on this machine.</source>
        <translation>die Soft-Token-Datei %1, mit der dieser Lauf erstellt wurde, ist auf diesem Rechner nicht vorhanden.</translation>
    </message>
    <message>
        <source>Scan heads</source>
        <translation>Köpfe untersuchen</translation>
    </message>
    <message>
        <source>Keys whose attention each head in turn loses (soft, bos, anchor, text, special or positions a-b); the grid shows how log p of the likeliest next token changes:</source>
        <translation>Schlüssel, deren Aufmerksamkeit jeder Kopf der Reihe nach verliert (soft, bos, anchor, text, special oder Positionen a-b); das Raster zeigt, wie sich log p des wahrscheinlichsten nächsten Tokens ändert:</translation>
    </message>
    <message>
        <source>Run the model first: a scan runs the shown input again.</source>
        <translation>Führen Sie zuerst das Modell aus: eine Untersuchung führt die gezeigte Eingabe erneut aus.</translation>
    </message>
    <message>
        <source>this run has knockouts of its own; scan the run they were made on</source>
        <translation>dieser Lauf hat selbst Ausschaltungen; untersuchen Sie den Lauf, auf dem sie gemacht wurden</translation>
    </message>
    <message>
        <source>Cannot scan the heads: %1</source>
        <translation>Die Köpfe lassen sich nicht untersuchen: %1</translation>
    </message>
    <message>
        <source>Scanning every head&apos;s attention to %1…</source>
        <translation>Die Aufmerksamkeit jedes Kopfes auf %1 wird untersucht…</translation>
    </message>
    <message>
        <source>Scan of %1 cancelled</source>
        <translation>Untersuchung von %1 abgebrochen</translation>
    </message>
    <message>
        <source>The scan of %1 failed: %2</source>
        <translation>Die Untersuchung von %1 ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>The scan of %1 finished after another run was shown; scan again for this one</source>
        <translation>Die Untersuchung von %1 endete, nachdem ein anderer Lauf angezeigt wurde; untersuchen Sie diesen erneut</translation>
    </message>
    <message>
        <source>another run is shown</source>
        <translation>ein anderer Lauf wird angezeigt</translation>
    </message>
    <message>
        <source>Scanned %1 heads&apos; attention to %2 in %3 s</source>
        <translation>Aufmerksamkeit von %1 Köpfen auf %2 in %3 s untersucht</translation>
    </message>
    <message>
        <source>a scan reads the prompt pass; choose it instead of a generated step first</source>
        <translation>eine Untersuchung liest den Durchlauf des Prompts; wählen Sie ihn zuerst statt eines erzeugten Schritts</translation>
    </message>
</context>
<context>
    <name>attnx::RankedHeadsView</name>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>Kopf</translation>
    </message>
    <message>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>A − B</source>
        <translation>A − B</translation>
    </message>
    <message>
        <source>t</source>
        <translation>t</translation>
    </message>
    <message>
        <source>Group A&apos;s mean attention mass</source>
        <translation>Mittlere Aufmerksamkeitsmasse von Gruppe A</translation>
    </message>
    <message>
        <source>Group B&apos;s mean attention mass</source>
        <translation>Mittlere Aufmerksamkeitsmasse von Gruppe B</translation>
    </message>
    <message>
        <source>A minus B; rows are ordered by its size</source>
        <translation>A minus B; die Zeilen sind nach dessen Betrag geordnet</translation>
    </message>
    <message>
        <source>Welch&apos;s t statistic of the difference (0 when a group has fewer than 2 examples)</source>
        <translation>Welch-t-Statistik der Differenz (0, wenn eine Gruppe weniger als 2 Beispiele hat)</translation>
    </message>
    <message>
        <source>Heads ordered by how much the two groups differ; click a row to select its layer</source>
        <translation>Köpfe, geordnet danach, wie stark sich die beiden Gruppen unterscheiden; ein Klick auf eine Zeile wählt ihre Schicht</translation>
    </message>
    <message>
        <source>Heads by |A − B|, %1</source>
        <translation>Köpfe nach |A − B|, %1</translation>
    </message>
    <message>
        <source>One of the groups is empty: no heads to rank.</source>
        <translation>Eine der Gruppen ist leer: Es gibt keine Köpfe zu ordnen.</translation>
    </message>
    <message>
        <source>No dataset results loaded.</source>
        <translation>Keine Datensatzergebnisse geladen.</translation>
    </message>
    <message>
        <source>%1 (A: %2, B: %3)</source>
        <translation>%1 (A: %2, B: %3)</translation>
    </message>
</context>
<context>
    <name>attnx::RunDifferenceGridView</name>
    <message>
        <source>Layers (rows) x heads (columns): %1 minus %2, the selected query&apos;s attention mass to %3 tokens. Red: the first attends more, blue: the second does.</source>
        <translation>Schichten (Zeilen) x Köpfe (Spalten): %1 minus %2, die Aufmerksamkeitsmasse der gewählten Abfrage auf %3-Tokens. Rot: der erste Lauf achtet stärker darauf, blau: der zweite.</translation>
    </message>
    <message>
        <source>The difference appears once both runs have run.</source>
        <translation>Die Differenz erscheint, sobald beide Läufe gelaufen sind.</translation>
    </message>
    <message>
        <source>The selected query&apos;s row was not captured in both runs.</source>
        <translation>Die Zeile der gewählten Abfrage wurde nicht in beiden Läufen erfasst.</translation>
    </message>
    <message>
        <source>The two runs captured different layers or heads: their grids cannot be subtracted.</source>
        <translation>Die beiden Läufe haben verschiedene Schichten oder Köpfe erfasst: Ihre Raster lassen sich nicht voneinander abziehen.</translation>
    </message>
    <message>
        <source>difference</source>
        <translation>Differenz</translation>
    </message>
    <message>
        <source>difference of the %1</source>
        <translation>Differenz der %1</translation>
    </message>
    <message>
        <source>Layer %1, head %2
%3: %4
%5: %6
difference %7</source>
        <translation>Schicht %1, Kopf %2
%3: %4
%5: %6
Differenz %7</translation>
    </message>
</context>
<context>
    <name>attnx::SegmentLegend</name>
    <message>
        <source>Segments of the input: where soft tokens, BOS, anchor and prompt lie.
Every view uses these colours.</source>
        <translation>Segmente der Eingabe: wo Soft-Tokens, BOS, Anker und Prompt liegen.
Alle Ansichten verwenden diese Farben.</translation>
    </message>
    <message>
        <source>No run yet: choose a model and press Run (Ctrl+R).</source>
        <translation>Noch kein Lauf: Wählen Sie ein Modell und klicken Sie auf Ausführen (Ctrl+R).</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>attnx::SegmentStyle</name>
    <message>
        <source>soft</source>
        <translation>Soft</translation>
    </message>
    <message>
        <source>BOS</source>
        <translation>BOS</translation>
    </message>
    <message>
        <source>anchor</source>
        <translation>Anker</translation>
    </message>
    <message>
        <source>text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>special</source>
        <translation>Spezial</translation>
    </message>
    <message>
        <source>generated</source>
        <translation>Generiert</translation>
    </message>
    <message>
        <source>padding</source>
        <translation>Padding</translation>
    </message>
    <message>
        <source>Soft tokens: learned embeddings fed as input rows</source>
        <translation>Soft-Tokens: gelernte Embeddings, als Eingabezeilen eingespeist</translation>
    </message>
    <message>
        <source>Beginning-of-sequence token</source>
        <translation>Sequenzanfangs-Token</translation>
    </message>
    <message>
        <source>Anchor text placed between the soft tokens and the prompt</source>
        <translation>Ankertext zwischen den Soft-Tokens und dem Prompt</translation>
    </message>
    <message>
        <source>Prompt text tokens</source>
        <translation>Tokens des Prompt-Texts</translation>
    </message>
    <message>
        <source>Special tokens added by the tokenizer</source>
        <translation>Vom Tokenizer hinzugefügte Spezial-Tokens</translation>
    </message>
    <message>
        <source>Tokens generated by the model</source>
        <translation>Vom Modell generierte Tokens</translation>
    </message>
    <message>
        <source>Padding (masked out, receives no attention)</source>
        <translation>Padding (maskiert, erhält keine Aufmerksamkeit)</translation>
    </message>
</context>
<context>
    <name>attnx::StepSelector</name>
    <message>
        <source>Previous generation step</source>
        <translation>Vorheriger Generierungsschritt</translation>
    </message>
    <message>
        <source>Next generation step</source>
        <translation>Nächster Generierungsschritt</translation>
    </message>
    <message>
        <source>Leftmost: the prompt&apos;s forward pass. Further right: generation step s, the row that predicted the s-th generated token</source>
        <translation>Ganz links: der Vorwärtsdurchlauf des Prompts. Weiter rechts: Generierungsschritt s, die Zeile, die das s-te generierte Token vorhergesagt hat</translation>
    </message>
    <message>
        <source>What the views show: the prompt or one generation step</source>
        <translation>Was die Ansichten zeigen: den Prompt oder einen Generierungsschritt</translation>
    </message>
    <message>
        <source>Generation:</source>
        <translation>Generierung:</translation>
    </message>
    <message>
        <source>no run</source>
        <translation>kein Lauf</translation>
    </message>
    <message>
        <source>no step attention captured</source>
        <translation>keine Schritt-Aufmerksamkeit erfasst</translation>
    </message>
    <message>
        <source>no generated tokens</source>
        <translation>keine generierten Tokens</translation>
    </message>
    <message>
        <source>prompt (forward pass)</source>
        <translation>Prompt (Vorwärtsdurchlauf)</translation>
    </message>
    <message>
        <source>step %1 of %2 → %3</source>
        <translation>Schritt %1 von %2 → %3</translation>
    </message>
</context>
<context>
    <name>attnx::TokenStripView</name>
    <message>
        <source>The tokens, coloured by segment. The stronger a chip&apos;s colour, the more the selected query attends to it. Click a token to make it the query.</source>
        <translation>Die Tokens, nach Segment eingefärbt. Je kräftiger die Farbe eines Chips, desto mehr Aufmerksamkeit schenkt ihm die gewählte Abfrage. Klicken Sie auf ein Token, um es zur Abfrage zu machen.</translation>
    </message>
    <message>
        <source>Attention from %1 (position %2) · layer %3 · %4</source>
        <translation>Aufmerksamkeit von %1 (Position %2) · Schicht %3 · %4</translation>
    </message>
    <message>
        <source>Query %1: its attention row was not captured</source>
        <translation>Die Aufmerksamkeitszeile von Abfrage %1 wurde nicht erfasst</translation>
    </message>
    <message>
        <source>No tokens yet: run a prompt to see them here.</source>
        <translation>Noch keine Tokens: Führen Sie einen Prompt aus, um sie hier zu sehen.</translation>
    </message>
    <message>
        <source>Position %1: %2 (%3)</source>
        <translation>Position %1: %2 (%3)</translation>
    </message>
    <message>
        <source>Attention from position %1: %2</source>
        <translation>Aufmerksamkeit von Position %1: %2</translation>
    </message>
    <message>
        <source>Position %1: %2 (%3, id %4)</source>
        <translation>Position %1: %2 (%3, ID %4)</translation>
    </message>
</context>
<context>
    <name>attnx::Views</name>
    <message>
        <source>mean of heads</source>
        <translation>Mittel der Köpfe</translation>
    </message>
    <message>
        <source>max of heads</source>
        <translation>Maximum der Köpfe</translation>
    </message>
    <message>
        <source>head %1</source>
        <translation>Kopf %1</translation>
    </message>
</context>
</TS>
