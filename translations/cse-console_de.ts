<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>cse::items::ActivityModel</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>HTTP status</source>
        <translation>HTTP-Status</translation>
    </message>
    <message>
        <source>Minor code</source>
        <translation>Minor-Code</translation>
    </message>
    <message>
        <source>Request id</source>
        <translation>Anfrage-ID</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
</context>
<context>
    <name>cse::items::ClusterModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Organization</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>Phase</translation>
    </message>
    <message>
        <source>Kubernetes</source>
        <translation>Kubernetes</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Owner replica</source>
        <translation>Besitzende Replik</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
    <message>
        <source> (delete requested)</source>
        <translation> (Löschen angefordert)</translation>
    </message>
    <message>
        <source>waiting for a server</source>
        <translation>wartet auf einen Server</translation>
    </message>
    <message>
        <source>VDC</source>
        <translation>VDC</translation>
    </message>
    <message>
        <source>Auto-repair</source>
        <translation>Auto-Reparatur</translation>
    </message>
    <message>
        <source>on</source>
        <translation>an</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
</context>
<context>
    <name>cse::items::EventModel</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>infrastructure</source>
        <translation>Infrastruktur</translation>
    </message>
</context>
<context>
    <name>cse::items::PlanModel</name>
    <message>
        <source>Entity</source>
        <translation>Entität</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Organization</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>create</source>
        <translation>anlegen</translation>
    </message>
    <message>
        <source>update</source>
        <translation>aktualisieren</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>unverändert</translation>
    </message>
    <message>
        <source>conflict</source>
        <translation>Konflikt</translation>
    </message>
    <message>
        <source>cluster</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <source>server configuration</source>
        <translation>Serverkonfiguration</translation>
    </message>
    <message>
        <source>server instance</source>
        <translation>Serverinstanz</translation>
    </message>
    <message>
        <source>%1 (from %2)</source>
        <translation>%1 (aus %2)</translation>
    </message>
    <message>
        <source>Not on this site: created in %1.</source>
        <translation>Nicht auf dieser Site: wird in %1 angelegt.</translation>
    </message>
    <message>
        <source>The site&apos;s server configuration differs: the archived one replaces it (the site&apos;s list of registered replicas is kept).</source>
        <translation>Die Serverkonfiguration der Site weicht ab: die archivierte ersetzt sie (die Liste der registrierten Replikate der Site bleibt erhalten).</translation>
    </message>
    <message>
        <source>An earlier restore stopped before resolving it: it is resolved now.</source>
        <translation>Eine frühere Wiederherstellung endete, bevor sie aufgelöst wurde: sie wird jetzt aufgelöst.</translation>
    </message>
    <message>
        <source>The site holds it as archived: nothing to do.</source>
        <translation>Die Site enthält sie wie archiviert: nichts zu tun.</translation>
    </message>
    <message>
        <source>Organization %1 does not exist on this site. Create it in VCD, or enter an existing organization for %2 in the &quot;Restore into org&quot; column above.</source>
        <translation>Die Organisation %1 gibt es auf dieser Site nicht. Legen Sie sie in VCD an, oder tragen Sie für %2 oben in der Spalte „Wiederherstellen in Org“ eine vorhandene Organisation ein.</translation>
    </message>
    <message>
        <source>Its entity type %1 is not registered on this site: the provider installs the CSE server&apos;s types first, then run the dry run again.</source>
        <translation>Ihr Entitätstyp %1 ist auf dieser Site nicht registriert: der Provider installiert zuerst die Typen des CSE-Servers, danach den Probelauf wiederholen.</translation>
    </message>
    <message>
        <source>Changed on this site since the backup (spec or name differ): left as it is.</source>
        <translation>Seit der Sicherung auf dieser Site geändert (Spezifikation oder Name weichen ab): bleibt unverändert.</translation>
    </message>
</context>
<context>
    <name>cse::items::ReplicaModel</name>
    <message>
        <source>Replica</source>
        <translation>Replik</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Heartbeat age</source>
        <translation>Alter des Heartbeats</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Clusters owned</source>
        <translation>Eigene Cluster</translation>
    </message>
    <message>
        <source>Fenced</source>
        <translation>Abgeschottet</translation>
    </message>
    <message>
        <source>Takeovers</source>
        <translation>Übernahmen</translation>
    </message>
    <message>
        <source>Last takeover</source>
        <translation>Letzte Übernahme</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>fenced</source>
        <translation>abgeschottet</translation>
    </message>
    <message>
        <source>draining</source>
        <translation>leert sich</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>lost (no heartbeat)</source>
        <translation>verloren (kein Heartbeat)</translation>
    </message>
    <message>
        <source>%1 s (#%2)</source>
        <translation>%1 s (#%2)</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
</context>
<context>
    <name>cse::secrets::MemoryStore</name>
    <message>
        <source>this session only (no keychain answered)</source>
        <translation>nur für diese Sitzung (kein Schlüsselbund hat geantwortet)</translation>
    </message>
</context>
<context>
    <name>cse::site::DemoSite</name>
    <message>
        <source>vcd-sim could not be started (%1): %2</source>
        <translation>vcd-sim konnte nicht gestartet werden (%1): %2</translation>
    </message>
    <message>
        <source>vcd-sim exited with code %1: %2</source>
        <translation>vcd-sim wurde mit Code %1 beendet: %2</translation>
    </message>
    <message>
        <source>vcd-sim was not found at %1 (set CSE_VCD_SIM)</source>
        <translation>vcd-sim wurde unter %1 nicht gefunden (CSE_VCD_SIM setzen)</translation>
    </message>
    <message>
        <source>cannot read the demo administrator password: %1</source>
        <translation>das Administrator-Passwort der Demo ist nicht lesbar: %1</translation>
    </message>
    <message>
        <source>cse-server was not found at %1 (set CSE_SERVER)</source>
        <translation>cse-server wurde unter %1 nicht gefunden (CSE_SERVER setzen)</translation>
    </message>
    <message>
        <source>exited with code %1</source>
        <translation>mit Code %1 beendet</translation>
    </message>
    <message>
        <source>did not start a replica (exit code %1): %2</source>
        <translation>hat keine Replik gestartet (Exit-Code %1): %2</translation>
    </message>
</context>
<context>
    <name>cse::site::OperationWatcher</name>
    <message>
        <source>deleted</source>
        <translation>gelöscht</translation>
    </message>
    <message>
        <source>deleting</source>
        <translation>wird gelöscht</translation>
    </message>
    <message>
        <source>delete requested; waiting for a server</source>
        <translation>Löschen angefordert; wartet auf einen Server</translation>
    </message>
    <message>
        <source>the cluster went to state error</source>
        <translation>der Cluster ist in den Zustand Fehler gewechselt</translation>
    </message>
    <message>
        <source>waiting for a server to pick up the retry</source>
        <translation>wartet, bis ein Server den neuen Versuch aufnimmt</translation>
    </message>
    <message>
        <source>waiting for a server</source>
        <translation>wartet auf einen Server</translation>
    </message>
    <message>
        <source>%1 of %2 nodes available</source>
        <translation>%1 von %2 Knoten verfügbar</translation>
    </message>
    <message>
        <source>upgrading to %1</source>
        <translation>Upgrade auf %1 läuft</translation>
    </message>
    <message>
        <source>provisioned</source>
        <translation>bereitgestellt</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>cse::site::Site</name>
    <message>
        <source>not connected</source>
        <translation>nicht verbunden</translation>
    </message>
    <message>
        <source>the cluster has no kubeconfig yet (it is written once the control plane is up)</source>
        <translation>der Cluster hat noch keine Kubeconfig (sie entsteht, sobald die Control Plane läuft)</translation>
    </message>
    <message>
        <source>no server configuration is visible on this site</source>
        <translation>auf dieser Site ist keine Serverkonfiguration sichtbar</translation>
    </message>
    <message>
        <source>edit of entity %1</source>
        <translation>Bearbeitung der Entität %1</translation>
    </message>
    <message>
        <source>%1 (entity %2)</source>
        <translation>%1 (Entität %2)</translation>
    </message>
    <message>
        <source>this is the connection&apos;s own API token; give a token of a user of the cluster&apos;s organization</source>
        <translation>das ist das eigene API-Token dieser Verbindung; geben Sie ein Token eines Benutzers der Organisation des Clusters an</translation>
    </message>
    <message>
        <source>the owner&apos;s API token is needed: the server acts for the cluster&apos;s owner with it</source>
        <translation>das API-Token des Besitzers wird gebraucht: damit handelt der Server für den Besitzer des Clusters</translation>
    </message>
    <message>
        <source>this is the connection&apos;s own API token; give a token of a user of %1</source>
        <translation>das ist das eigene API-Token dieser Verbindung; geben Sie ein Token eines Benutzers von %1 an</translation>
    </message>
</context>
<context>
    <name>cse::views::BackupView</name>
    <message>
        <source>Create a backup of the connected site</source>
        <translation>Sicherung der verbundenen Site erstellen</translation>
    </message>
    <message>
        <source>archive file, e.g. site.cse-backup</source>
        <translation>Archivdatei, z. B. site.cse-backup</translation>
    </message>
    <message>
        <source>Bro&amp;wse…</source>
        <translation>D&amp;urchsuchen…</translation>
    </message>
    <message>
        <source>Archive &amp;file:</source>
        <translation>Archiv&amp;datei:</translation>
    </message>
    <message>
        <source>Include secure fields (API tokens, passwords), encrypted with a passphrase</source>
        <translation>Sichere Felder (API-Tokens, Passwörter) einschließen, mit einer Passphrase verschlüsselt</translation>
    </message>
    <message numerus="yes">
        <source>at least %n characters</source>
        <translation>
            <numerusform>mindestens %n Zeichen</numerusform>
            <numerusform>mindestens %n Zeichen</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>Create &amp;backup</source>
        <translation>Sicherung &amp;erstellen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Verify an archive and restore it into the connected site</source>
        <translation>Archiv prüfen und in die verbundene Site wiederherstellen</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Arc&amp;hive file:</source>
        <translation>Arc&amp;hivdatei:</translation>
    </message>
    <message>
        <source>only for an archive with secure fields</source>
        <translation>nur für ein Archiv mit sicheren Feldern</translation>
    </message>
    <message>
        <source>Archive passphrase:</source>
        <translation>Passphrase des Archivs:</translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation>P&amp;rüfen</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <source>Site:</source>
        <translation>Site:</translation>
    </message>
    <message>
        <source>Taken:</source>
        <translation>Erstellt:</translation>
    </message>
    <message>
        <source>Holds:</source>
        <translation>Enthält:</translation>
    </message>
    <message>
        <source>Secure fields:</source>
        <translation>Sichere Felder:</translation>
    </message>
    <message>
        <source>Org in the archive</source>
        <translation>Org im Archiv</translation>
    </message>
    <message>
        <source>Restore into org</source>
        <translation>Wiederherstellen in Org</translation>
    </message>
    <message>
        <source>Organization mappings</source>
        <translation>Zuordnung der Organisationen</translation>
    </message>
    <message>
        <source>Restore plan</source>
        <translation>Wiederherstellungsplan</translation>
    </message>
    <message>
        <source>&amp;Dry run (plan only)</source>
        <translation>Pro&amp;belauf (nur Plan)</translation>
    </message>
    <message>
        <source>Re&amp;store</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <source>Backup and restore log</source>
        <translation>Protokoll von Sicherung und Wiederherstellung</translation>
    </message>
    <message>
        <source>Save the backup as</source>
        <translation>Sicherung speichern unter</translation>
    </message>
    <message>
        <source>CSE backups (*.cse-backup);;All files (*)</source>
        <translation>CSE-Sicherungen (*.cse-backup);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Open a backup</source>
        <translation>Sicherung öffnen</translation>
    </message>
    <message>
        <source>The archive is truncated</source>
        <translation>Das Archiv ist abgeschnitten</translation>
    </message>
    <message>
        <source>The archive is corrupt</source>
        <translation>Das Archiv ist beschädigt</translation>
    </message>
    <message>
        <source>The archive&apos;s format is not supported</source>
        <translation>Das Format des Archivs wird nicht unterstützt</translation>
    </message>
    <message>
        <source>The archive cannot be read</source>
        <translation>Das Archiv ist nicht lesbar</translation>
    </message>
    <message>
        <source>The archive cannot be used</source>
        <translation>Das Archiv ist nicht verwendbar</translation>
    </message>
    <message>
        <source>Connect to a site first (File &gt; Connect).</source>
        <translation>Zuerst mit einer Site verbinden (Datei &gt; Verbinden).</translation>
    </message>
    <message numerus="yes">
        <source>The passphrase must have at least %n characters.</source>
        <translation>
            <numerusform>Die Passphrase muss mindestens %n Zeichen haben.</numerusform>
            <numerusform>Die Passphrase muss mindestens %n Zeichen haben.</numerusform>
        </translation>
    </message>
    <message>
        <source>The two passphrases differ; type them again.</source>
        <translation>Die beiden Passphrasen unterscheiden sich; bitte erneut eingeben.</translation>
    </message>
    <message>
        <source>Reading the site…</source>
        <translation>Site wird gelesen…</translation>
    </message>
    <message>
        <source>Reading clusters: %1 of %2</source>
        <translation>Cluster werden gelesen: %1 von %2</translation>
    </message>
    <message>
        <source>Backup canceled; no file was written.</source>
        <translation>Sicherung abgebrochen; keine Datei wurde geschrieben.</translation>
    </message>
    <message>
        <source>Backup failed: %1</source>
        <translation>Sicherung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Encrypting and writing %1…</source>
        <translation>%1 wird verschlüsselt und geschrieben…</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>%1 wird geschrieben…</translation>
    </message>
    <message>
        <source>Wrote %1 (%2 bytes): %3</source>
        <translation>%1 geschrieben (%2 Bytes): %3</translation>
    </message>
    <message>
        <source>version %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <source>%1 by %2 with %3</source>
        <translation>%1 von %2 mit %3</translation>
    </message>
    <message>
        <source>%1 cluster(s), %2 configuration(s), %3 server instance(s)</source>
        <translation>%1 Cluster, %2 Konfiguration(en), %3 Serverinstanz(en)</translation>
    </message>
    <message>
        <source>included (encrypted)</source>
        <translation>enthalten (verschlüsselt)</translation>
    </message>
    <message>
        <source>not included</source>
        <translation>nicht enthalten</translation>
    </message>
    <message>
        <source>Verifying %1…</source>
        <translation>%1 wird geprüft…</translation>
    </message>
    <message>
        <source>Verified %1: %2</source>
        <translation>%1 geprüft: %2</translation>
    </message>
    <message>
        <source>Reading the target site…</source>
        <translation>Ziel-Site wird gelesen…</translation>
    </message>
    <message>
        <source>Canceled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>Reading the target site failed: %1</source>
        <translation>Lesen der Ziel-Site fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Planned against %1: nothing was written.</source>
        <translation>Gegen %1 geplant: nichts wurde geschrieben.</translation>
    </message>
    <message numerus="yes">
        <source>Restoring %n entity(s)…</source>
        <translation>
            <numerusform>%n Entität wird wiederhergestellt…</numerusform>
            <numerusform>%n Entitäten werden wiederhergestellt…</numerusform>
        </translation>
    </message>
    <message>
        <source>Restored %1 of %2…</source>
        <translation>%1 von %2 wiederhergestellt…</translation>
    </message>
    <message>
        <source>Restore canceled after %1 of %2 entities; run the dry run again to see what is left.</source>
        <translation>Wiederherstellung nach %1 von %2 Entitäten abgebrochen; ein erneuter Probelauf zeigt, was übrig ist.</translation>
    </message>
    <message>
        <source>Restore failed: %1</source>
        <translation>Wiederherstellung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Restored: %1 created, %2 updated, %3 failed.</source>
        <translation>Wiederhergestellt: %1 angelegt, %2 aktualisiert, %3 fehlgeschlagen.</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Con&amp;firm:</source>
        <translation>Be&amp;stätigen:</translation>
    </message>
    <message>
        <source>Edit the second column to restore an org&apos;s clusters into another, existing org.</source>
        <translation>Die zweite Spalte ändern, um die Cluster einer Org in eine andere, vorhandene Org wiederherzustellen.</translation>
    </message>
    <message>
        <source>Wrong passphrase, or the archive was changed</source>
        <translation>Falsche Passphrase, oder das Archiv wurde verändert</translation>
    </message>
    <message>
        <source>The archive is encrypted</source>
        <translation>Das Archiv ist verschlüsselt</translation>
    </message>
    <message>
        <source>The archive is not authentic</source>
        <translation>Das Archiv ist nicht authentisch</translation>
    </message>
    <message>
        <source>The archive is encrypted: enter its passphrase in &quot;Archive passphrase&quot; above and verify again.</source>
        <translation>Das Archiv ist verschlüsselt: oben unter „Passphrase des Archivs“ die Passphrase eingeben und erneut prüfen.</translation>
    </message>
    <message>
        <source>Wrong passphrase, or the archive was changed after it was written: the two cannot be told apart. Check the passphrase and verify again; if it is right, do not restore from this file.</source>
        <translation>Falsche Passphrase, oder das Archiv wurde nach dem Schreiben verändert: beides lässt sich nicht unterscheiden. Passphrase prüfen und erneut prüfen; stimmt sie, nicht aus dieser Datei wiederherstellen.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>The archive is authentic (its passphrase&apos;s tag holds): %1</source>
        <translation>Das Archiv ist authentisch (das Authentifizierungs-Tag seiner Passphrase stimmt): %1</translation>
    </message>
    <message>
        <source>The archive&apos;s checksums hold; they show accidental damage, not a deliberate change: %1</source>
        <translation>Die Prüfsummen des Archivs stimmen; sie zeigen versehentliche Beschädigung, keine absichtliche Änderung: %1</translation>
    </message>
    <message>
        <source>After the restore, the site compared with the archive: %1 to create, %2 to update, %3 unchanged, %4 conflict.</source>
        <translation>Nach der Wiederherstellung, die Site verglichen mit dem Archiv: %1 anzulegen, %2 zu aktualisieren, %3 unverändert, %4 Konflikt.</translation>
    </message>
    <message>
        <source>Plan: %1 create, %2 update, %3 unchanged, %4 conflict. Nothing is written until you press Restore.</source>
        <translation>Plan: %1 anlegen, %2 aktualisieren, %3 unverändert, %4 Konflikt. Geschrieben wird erst, wenn Sie auf Wiederherstellen klicken.</translation>
    </message>
</context>
<context>
    <name>cse::views::ClustersView</name>
    <message>
        <source>Cluster operations</source>
        <translation>Cluster-Operationen</translation>
    </message>
    <message>
        <source>&amp;New cluster…</source>
        <translation>&amp;Neuer Cluster…</translation>
    </message>
    <message>
        <source>&amp;Resize…</source>
        <translation>&amp;Größe ändern…</translation>
    </message>
    <message>
        <source>&amp;Upgrade…</source>
        <translation>&amp;Upgrade…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Löschen…</translation>
    </message>
    <message>
        <source>&amp;Force delete…</source>
        <translation>Löschen &amp;erzwingen…</translation>
    </message>
    <message>
        <source>Re&amp;try</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <source>Download &amp;kubeconfig…</source>
        <translation>&amp;Kubeconfig herunterladen…</translation>
    </message>
    <message>
        <source>Create a cluster with the wizard</source>
        <translation>Einen Cluster mit dem Assistenten anlegen</translation>
    </message>
    <message>
        <source>Ask the server to delete the selected clusters and their VCD resources</source>
        <translation>Den Server bitten, die gewählten Cluster und ihre VCD-Ressourcen zu löschen</translation>
    </message>
    <message>
        <source>Delete even if the cluster cannot be reached; leftover VCD resources may remain</source>
        <translation>Auch löschen, wenn der Cluster nicht erreichbar ist; übrige VCD-Ressourcen können bleiben</translation>
    </message>
    <message>
        <source>Search name, organization, VDC, error…</source>
        <translation>Name, Organisation, VDC, Fehler suchen…</translation>
    </message>
    <message>
        <source>Search clusters</source>
        <translation>Cluster durchsuchen</translation>
    </message>
    <message>
        <source>Filter by state</source>
        <translation>Nach Zustand filtern</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>Alle Zustände</translation>
    </message>
    <message>
        <source>waiting for a server</source>
        <translation>wartet auf einen Server</translation>
    </message>
    <message>
        <source>Filter by organization</source>
        <translation>Nach Organisation filtern</translation>
    </message>
    <message>
        <source>Filter by owner replica</source>
        <translation>Nach besitzender Replik filtern</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>&amp;Suche:</translation>
    </message>
    <message>
        <source>Clusters</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Zeitleiste</translation>
    </message>
    <message>
        <source>Spec</source>
        <translation>Spezifikation</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>VCD resources</source>
        <translation>VCD-Ressourcen</translation>
    </message>
    <message>
        <source>Operation progress</source>
        <translation>Fortschritt der Operation</translation>
    </message>
    <message>
        <source>Stop &amp;following</source>
        <translation>&amp;Nicht mehr verfolgen</translation>
    </message>
    <message>
        <source>Stop following the running operations (the change already sent stays)</source>
        <translation>Die laufenden Operationen nicht mehr verfolgen (die gesendete Änderung bleibt)</translation>
    </message>
    <message>
        <source>Stopped following; the operations continue on the site.</source>
        <translation>Nicht mehr verfolgt; die Operationen laufen auf der Site weiter.</translation>
    </message>
    <message>
        <source>All organizations</source>
        <translation>Alle Organisationen</translation>
    </message>
    <message>
        <source>All owners</source>
        <translation>Alle Besitzer</translation>
    </message>
    <message>
        <source>No VCD resources recorded yet.</source>
        <translation>Noch keine VCD-Ressourcen erfasst.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: done (%2)</source>
        <translation>%1: fertig (%2)</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Create %1</source>
        <translation>%1 anlegen</translation>
    </message>
    <message>
        <source>Create %1: submitting…</source>
        <translation>%1 anlegen: wird gesendet…</translation>
    </message>
    <message>
        <source>Cannot read the cluster&apos;s capiYaml: %1</source>
        <translation>Das capiYaml des Clusters ist nicht lesbar: %1</translation>
    </message>
    <message>
        <source>Resize %1</source>
        <translation>Größe von %1 ändern</translation>
    </message>
    <message>
        <source>%1 (control plane)</source>
        <translation>%1 (Control Plane)</translation>
    </message>
    <message>
        <source>&amp;Node pool:</source>
        <translation>&amp;Knotenpool:</translation>
    </message>
    <message>
        <source>&amp;Nodes:</source>
        <translation>&amp;Knoten:</translation>
    </message>
    <message>
        <source>Resize %1 (%2 → %3)</source>
        <translation>Größe von %1 ändern (%2 → %3)</translation>
    </message>
    <message>
        <source>%1 runs %2; no newer supported release is a valid upgrade.</source>
        <translation>%1 läuft mit %2; kein neueres unterstütztes Release ist ein gültiges Upgrade.</translation>
    </message>
    <message>
        <source>Upgrade %1</source>
        <translation>Upgrade von %1</translation>
    </message>
    <message>
        <source>Current: %1. Only the next minor release or a newer patch is offered.</source>
        <translation>Aktuell: %1. Angeboten werden nur das nächste Minor-Release oder ein neuerer Patch.</translation>
    </message>
    <message>
        <source>&amp;Kubernetes:</source>
        <translation>&amp;Kubernetes:</translation>
    </message>
    <message>
        <source>Upgrade %1 to %2</source>
        <translation>Upgrade von %1 auf %2</translation>
    </message>
    <message>
        <source>Force delete</source>
        <translation>Löschen erzwingen</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message numerus="yes">
        <source>Force delete %n cluster(s): %1?</source>
        <translation>
            <numerusform>%n Cluster erzwungen löschen: %1?</numerusform>
            <numerusform>%n Cluster erzwungen löschen: %1?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n cluster(s): %1?</source>
        <translation>
            <numerusform>%n Cluster löschen: %1?</numerusform>
            <numerusform>%n Cluster löschen: %1?</numerusform>
        </translation>
    </message>
    <message>
        <source>Force delete removes the cluster entity even if the cluster cannot be reached or its deletion fails. VCD resources (vApp, VMs, load balancer) that the server cannot remove stay behind and must be cleaned up by hand.</source>
        <translation>Erzwungenes Löschen entfernt die Cluster-Entität auch dann, wenn der Cluster nicht erreichbar ist oder sein Löschen scheitert. VCD-Ressourcen (vApp, VMs, Load Balancer), die der Server nicht entfernen kann, bleiben zurück und müssen von Hand aufgeräumt werden.</translation>
    </message>
    <message>
        <source>Delete asks the server to remove the cluster&apos;s VMs, vApp, load balancer and networking in VCD, then the cluster entity. Workloads and persistent volumes of the cluster are lost.</source>
        <translation>Löschen bittet den Server, die VMs, die vApp, den Load Balancer und das Netzwerk des Clusters in VCD zu entfernen, danach die Cluster-Entität. Workloads und persistente Volumes des Clusters gehen verloren.</translation>
    </message>
    <message>
        <source>Force delete %1</source>
        <translation>%1 erzwungen löschen</translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation>%1 löschen</translation>
    </message>
    <message>
        <source>Retry %1</source>
        <translation>%1 erneut versuchen</translation>
    </message>
    <message>
        <source>Fetching the kubeconfig of %1…</source>
        <translation>Kubeconfig von %1 wird geholt…</translation>
    </message>
    <message>
        <source>Kubeconfig of %1: %2</source>
        <translation>Kubeconfig von %1: %2</translation>
    </message>
    <message>
        <source>Save the kubeconfig of %1</source>
        <translation>Kubeconfig von %1 speichern</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Kubeconfig saved to %1</source>
        <translation>Kubeconfig gespeichert unter %1</translation>
    </message>
    <message>
        <source>%1 runs %2, the newest supported release: there is nothing to upgrade to.</source>
        <translation>%1 läuft mit %2, dem neuesten unterstützten Release: es gibt nichts, worauf aktualisiert werden kann.</translation>
    </message>
    <message>
        <source>Upgrade the selected cluster to a newer Kubernetes release</source>
        <translation>Den gewählten Cluster auf ein neueres Kubernetes-Release aktualisieren</translation>
    </message>
    <message>
        <source>resource</source>
        <translation>Ressource</translation>
    </message>
    <message>
        <source>resource set</source>
        <translation>Ressourcenliste</translation>
    </message>
    <message>
        <source>event: %1</source>
        <translation>Ereignis: %1</translation>
    </message>
    <message>
        <source>In error; the server recorded no reason.</source>
        <translation>Im Fehlerzustand; der Server hat keinen Grund vermerkt.</translation>
    </message>
    <message>
        <source>In error: %1</source>
        <translation>Im Fehlerzustand: %1</translation>
    </message>
    <message>
        <source>No server has taken this cluster yet. This connection cannot see the server replicas (they are in the System organization).</source>
        <translation>Noch kein Server hat diesen Cluster übernommen. Diese Verbindung sieht die Server-Repliken nicht (sie liegen in der Organisation System).</translation>
    </message>
    <message>
        <source>No server has taken this cluster: no cse-server replica is running on this site.</source>
        <translation>Kein Server hat diesen Cluster übernommen: auf dieser Site läuft keine cse-server-Replik.</translation>
    </message>
    <message numerus="yes">
        <source>No server has taken this cluster yet (%n live replica(s)).</source>
        <translation>
            <numerusform>Noch kein Server hat diesen Cluster übernommen (%n lebende Replik).</numerusform>
            <numerusform>Noch kein Server hat diesen Cluster übernommen (%n lebende Repliken).</numerusform>
        </translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>Letzter Fehler: %1</translation>
    </message>
    <message>
        <source>It has no owner API token: no server can act for it. Retry asks for one.</source>
        <translation>Er hat kein API-Token des Besitzers: kein Server kann für ihn handeln. „Erneut versuchen“ fragt nach einem.</translation>
    </message>
    <message>
        <source>Use an odd number of control plane nodes (1, 3, 5 or 7): etcd needs a majority of them to keep working.</source>
        <translation>Verwenden Sie eine ungerade Zahl von Control-Plane-Knoten (1, 3, 5 oder 7): etcd braucht eine Mehrheit davon, um weiterzuarbeiten.</translation>
    </message>
    <message numerus="yes">
        <source>%1 already has %n node(s): choose another count.</source>
        <translation>
            <numerusform>%1 hat bereits %n Knoten: wählen Sie eine andere Anzahl.</numerusform>
            <numerusform>%1 hat bereits %n Knoten: wählen Sie eine andere Anzahl.</numerusform>
        </translation>
    </message>
    <message>
        <source>Retry %1: checking its owner API token…</source>
        <translation>Erneuter Versuch für %1: das API-Token des Besitzers wird geprüft…</translation>
    </message>
    <message>
        <source>%1 has no owner API token, so no server can act for it: a retry would wait for ever. Enter an API token of a user of %2. It is stored in the cluster, where the administrators of %2 can read it.</source>
        <translation>%1 hat kein API-Token des Besitzers, daher kann kein Server für ihn handeln: ein erneuter Versuch würde ewig warten. Geben Sie ein API-Token eines Benutzers von %2 ein. Es wird im Cluster gespeichert, wo die Administratoren von %2 es lesen können.</translation>
    </message>
    <message>
        <source>Owner&apos;s API token</source>
        <translation>API-Token des Besitzers</translation>
    </message>
    <message>
        <source>Owner&apos;s API &amp;token:</source>
        <translation>API-&amp;Token des Besitzers:</translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation>&amp;Erneut versuchen</translation>
    </message>
    <message>
        <source>Retry %1: not sent (no owner API token given).</source>
        <translation>Erneuter Versuch für %1: nicht gesendet (kein API-Token des Besitzers angegeben).</translation>
    </message>
    <message>
        <source>The cluster is in error: it has no kubeconfig to download.</source>
        <translation>Der Cluster ist im Fehlerzustand: es gibt keine Kubeconfig zum Herunterladen.</translation>
    </message>
    <message>
        <source>Save the cluster&apos;s kubeconfig (it holds credentials)</source>
        <translation>Die Kubeconfig des Clusters speichern (sie enthält Zugangsdaten)</translation>
    </message>
</context>
<context>
    <name>cse::views::ConfigEditor</name>
    <message>
        <source>&amp;Lease (s):</source>
        <translation>&amp;Lease (s):</translation>
    </message>
    <message>
        <source>&amp;Renew every (s):</source>
        <translation>&amp;Erneuern alle (s):</translation>
    </message>
    <message>
        <source>&amp;Poll every (s):</source>
        <translation>&amp;Abfragen alle (s):</translation>
    </message>
    <message>
        <source>&amp;Workers per replica:</source>
        <translation>&amp;Worker pro Replik:</translation>
    </message>
    <message>
        <source>Auto-repair &amp;attempts:</source>
        <translation>Auto-Reparatur-&amp;Versuche:</translation>
    </message>
    <message>
        <source>Auto-repair &amp;backoff (s):</source>
        <translation>Auto-Reparatur-&amp;Wartezeit (s):</translation>
    </message>
    <message>
        <source>Other settings are edited as JSON.</source>
        <translation>Weitere Einstellungen werden als JSON bearbeitet.</translation>
    </message>
    <message>
        <source>Server configuration as JSON</source>
        <translation>Serverkonfiguration als JSON</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Formular</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>&amp;Validate</source>
        <translation>&amp;Prüfen</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>&amp;Discard and reload</source>
        <translation>&amp;Verwerfen und neu laden</translation>
    </message>
    <message>
        <source>Reload and &amp;merge</source>
        <translation>Neu laden und &amp;zusammenführen</translation>
    </message>
    <message>
        <source>Valid against %1.</source>
        <translation>Gültig gegen %1.</translation>
    </message>
    <message>
        <source>The server configuration (vcdKeConfig) is not visible on this connection.</source>
        <translation>Die Serverkonfiguration (vcdKeConfig) ist mit dieser Verbindung nicht sichtbar.</translation>
    </message>
    <message>
        <source>The JSON does not parse; fix it on the JSON tab before using the form.</source>
        <translation>Das JSON ist nicht lesbar; korrigieren Sie es im Reiter JSON, bevor Sie das Formular benutzen.</translation>
    </message>
    <message>
        <source>No schema for %1: %2</source>
        <translation>Kein Schema für %1: %2</translation>
    </message>
    <message>
        <source>at %1: %2</source>
        <translation>bei %1: %2</translation>
    </message>
    <message>
        <source>Not saved: the configuration does not match the schema %1
%2</source>
        <translation>Nicht gespeichert: die Konfiguration entspricht nicht dem Schema %1
%2</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <source>Not saved: someone changed the configuration since you loaded it (the ETag no longer matches). &quot;Reload and merge&quot; applies your changes on top of the current version.</source>
        <translation>Nicht gespeichert: jemand hat die Konfiguration geändert, seit Sie sie geladen haben (das ETag passt nicht mehr). „Neu laden und zusammenführen“ wendet Ihre Änderungen auf die aktuelle Fassung an.</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Nicht gespeichert: %1</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>The JSON does not parse; fix it before merging.</source>
        <translation>Das JSON ist nicht lesbar; korrigieren Sie es vor dem Zusammenführen.</translation>
    </message>
    <message>
        <source>Reload failed: %1</source>
        <translation>Neu laden fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Merged your changes into the current version; review and save.</source>
        <translation>Ihre Änderungen sind in die aktuelle Fassung übernommen; prüfen und speichern.</translation>
    </message>
    <message>
        <source>%1 in the JSON is %2, not a whole number within %3..%4; the form shows %5 until you fix it.</source>
        <translation>%1 ist im JSON %2, keine ganze Zahl im Bereich %3..%4; das Formular zeigt %5, bis Sie es korrigieren.</translation>
    </message>
    <message>
        <source>Not valid JSON at line %1, column %2: %3</source>
        <translation>Kein gültiges JSON in Zeile %1, Spalte %2: %3</translation>
    </message>
</context>
<context>
    <name>cse::views::ConnectDialog</name>
    <message>
        <source>Connect to a VCD site</source>
        <translation>Mit einer VCD-Site verbinden</translation>
    </message>
    <message>
        <source>New profile</source>
        <translation>Neues Profil</translation>
    </message>
    <message>
        <source>&quot;System&quot; logs in as a provider; any other organization as a tenant user</source>
        <translation>„System“ meldet sich als Provider an, jede andere Organisation als Tenant-Benutzer</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>API token</source>
        <translation>API-Token</translation>
    </message>
    <message>
        <source>&amp;Remember in the system keychain</source>
        <translation>Im System-&amp;Schlüsselbund merken</translation>
    </message>
    <message>
        <source>&amp;Profile:</source>
        <translation>&amp;Profil:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL:</translation>
    </message>
    <message>
        <source>&amp;Organization:</source>
        <translation>&amp;Organisation:</translation>
    </message>
    <message>
        <source>U&amp;ser:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <source>&amp;Log in with:</source>
        <translation>&amp;Anmelden mit:</translation>
    </message>
    <message>
        <source>S&amp;ecret:</source>
        <translation>&amp;Geheimnis:</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>&amp;Delete profile</source>
        <translation>Profil &amp;löschen</translation>
    </message>
    <message>
        <source>Profile %1 deleted (a secret in the keychain stays until you connect with a new one).</source>
        <translation>Profil %1 gelöscht (ein Geheimnis im Schlüsselbund bleibt, bis Sie sich mit einem neuen verbinden).</translation>
    </message>
    <message>
        <source>empty: use the stored secret</source>
        <translation>leer: das gespeicherte Geheimnis verwenden</translation>
    </message>
    <message>
        <source>Give the profile a name.</source>
        <translation>Geben Sie dem Profil einen Namen.</translation>
    </message>
    <message>
        <source>The URL must look like https://vcd.example.com</source>
        <translation>Die URL muss wie https://vcd.example.com aussehen</translation>
    </message>
    <message>
        <source>Name the organization (&quot;System&quot; for a provider).</source>
        <translation>Nennen Sie die Organisation („System“ für einen Provider).</translation>
    </message>
    <message>
        <source>Name the user.</source>
        <translation>Nennen Sie den Benutzer.</translation>
    </message>
    <message>
        <source>Put no user name or password in the URL: enter the user under &quot;User&quot; and the password or API token under &quot;Secret&quot;.</source>
        <translation>Keinen Benutzernamen und kein Passwort in die URL schreiben: den Benutzer unter „Benutzer“ und das Passwort oder API-Token unter „Geheimnis“ eingeben.</translation>
    </message>
</context>
<context>
    <name>cse::views::CreateWizard</name>
    <message>
        <source>Nodes</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Sizing policy</source>
        <translation>Sizing-Policy</translation>
    </message>
    <message>
        <source>New cluster</source>
        <translation>Neuer Cluster</translation>
    </message>
    <message>
        <source>Name and placement</source>
        <translation>Name und Platzierung</translation>
    </message>
    <message>
        <source>lower-case letters, digits and &apos;-&apos;</source>
        <translation>Kleinbuchstaben, Ziffern und &apos;-&apos;</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Organization:</source>
        <translation>&amp;Organisation:</translation>
    </message>
    <message>
        <source>&amp;VDC:</source>
        <translation>&amp;VDC:</translation>
    </message>
    <message>
        <source>N&amp;etwork:</source>
        <translation>N&amp;etzwerk:</translation>
    </message>
    <message>
        <source>Kubernetes and node pools</source>
        <translation>Kubernetes und Knotenpools</translation>
    </message>
    <message>
        <source>%1 (TKG %2)</source>
        <translation>%1 (TKG %2)</translation>
    </message>
    <message>
        <source>&amp;Kubernetes release:</source>
        <translation>&amp;Kubernetes-Release:</translation>
    </message>
    <message>
        <source>&amp;Control plane nodes:</source>
        <translation>&amp;Control-Plane-Knoten:</translation>
    </message>
    <message>
        <source>Control plane &amp;sizing:</source>
        <translation>Control-Plane-&amp;Sizing:</translation>
    </message>
    <message>
        <source>Worker pools</source>
        <translation>Worker-Pools</translation>
    </message>
    <message>
        <source>Worker pool</source>
        <translation>Worker-Pool</translation>
    </message>
    <message>
        <source>&amp;Add pool</source>
        <translation>Pool &amp;hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Remove pool</source>
        <translation>Pool &amp;entfernen</translation>
    </message>
    <message>
        <source>Storage, health and credentials</source>
        <translation>Speicher, Zustandsprüfung und Zugangsdaten</translation>
    </message>
    <message>
        <source>Create a default &amp;storage class on this profile</source>
        <translation>Eine Standard-&amp;Storage-Class auf diesem Profil anlegen</translation>
    </message>
    <message>
        <source>Machine &amp;health check (replace unhealthy nodes)</source>
        <translation>Machine &amp;Health Check (kranke Knoten ersetzen)</translation>
    </message>
    <message>
        <source>&amp;Auto-repair on errors during creation</source>
        <translation>&amp;Auto-Reparatur bei Fehlern während der Erstellung</translation>
    </message>
    <message>
        <source>Storage &amp;profile:</source>
        <translation>Speicher&amp;profil:</translation>
    </message>
    <message>
        <source>&amp;Owner user:</source>
        <translation>&amp;Besitzer:</translation>
    </message>
    <message>
        <source>Owner&apos;s API &amp;token:</source>
        <translation>API-&amp;Token des Besitzers:</translation>
    </message>
    <message>
        <source>Review the Cluster API YAML</source>
        <translation>Cluster-API-YAML prüfen</translation>
    </message>
    <message>
        <source>This is what the server applies. Go back to change it.</source>
        <translation>Dies wendet der Server an. Gehen Sie zurück, um es zu ändern.</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Anlegen</translation>
    </message>
    <message>
        <source>Reading VDCs and networks of %1…</source>
        <translation>VDCs und Netzwerke von %1 werden gelesen…</translation>
    </message>
    <message>
        <source>Cannot read VDCs: %1</source>
        <translation>VDCs sind nicht lesbar: %1</translation>
    </message>
    <message>
        <source>Cannot read networks: %1</source>
        <translation>Netzwerke sind nicht lesbar: %1</translation>
    </message>
    <message>
        <source>Cannot create this cluster: %1</source>
        <translation>Dieser Cluster kann nicht angelegt werden: %1</translation>
    </message>
    <message>
        <source>Control plane &amp;only (no worker nodes: workloads run on the control plane)</source>
        <translation>Nur C&amp;ontrol Plane (keine Worker-Knoten: Workloads laufen auf der Control Plane)</translation>
    </message>
    <message>
        <source>an API token of the owner user</source>
        <translation>ein API-Token des Besitzers</translation>
    </message>
    <message>
        <source>Owner&apos;s API token</source>
        <translation>API-Token des Besitzers</translation>
    </message>
    <message>
        <source>The server acts for the cluster&apos;s owner with this token. It is stored in the cluster, where the administrators of %1 can read it: give a token of a user of %1, never a provider or System token.</source>
        <translation>Mit diesem Token handelt der Server für den Besitzer des Clusters. Es wird im Cluster gespeichert, wo die Administratoren von %1 es lesen können: geben Sie ein Token eines Benutzers von %1 an, niemals ein Provider- oder System-Token.</translation>
    </message>
    <message>
        <source>%1 already has a cluster named %2: choose another name.</source>
        <translation>%1 hat bereits einen Cluster namens %2: wählen Sie einen anderen Namen.</translation>
    </message>
    <message>
        <source>Choose the organization to create the cluster in.</source>
        <translation>Wählen Sie die Organisation, in der der Cluster angelegt wird.</translation>
    </message>
    <message>
        <source>Choose a VDC of %1.</source>
        <translation>Wählen Sie ein VDC von %1.</translation>
    </message>
    <message>
        <source>Choose a network of %1.</source>
        <translation>Wählen Sie ein Netzwerk von %1.</translation>
    </message>
    <message>
        <source>Use an odd number of control plane nodes (1, 3, 5 or 7): etcd needs a majority of them to keep working.</source>
        <translation>Verwenden Sie eine ungerade Zahl von Control-Plane-Knoten (1, 3, 5 oder 7): etcd braucht eine Mehrheit davon, um weiterzuarbeiten.</translation>
    </message>
    <message>
        <source>Worker pool %1: %2</source>
        <translation>Worker-Pool %1: %2</translation>
    </message>
    <message>
        <source>Two worker pools are named %1: give each its own name.</source>
        <translation>Zwei Worker-Pools heißen %1: geben Sie jedem einen eigenen Namen.</translation>
    </message>
    <message>
        <source>Add at least one worker node, or choose &quot;Control plane only&quot;.</source>
        <translation>Fügen Sie mindestens einen Worker-Knoten hinzu oder wählen Sie „Nur Control Plane“.</translation>
    </message>
    <message>
        <source>Enter the owner user: a user of %1.</source>
        <translation>Geben Sie den Besitzer an: einen Benutzer von %1.</translation>
    </message>
    <message>
        <source>Enter an API token of %1: the server acts for the cluster&apos;s owner with it.</source>
        <translation>Geben Sie ein API-Token von %1 ein: damit handelt der Server für den Besitzer des Clusters.</translation>
    </message>
    <message>
        <source>This is the token this console connected with. Give a token of a user of %1.</source>
        <translation>Das ist das Token, mit dem diese Konsole verbunden ist. Geben Sie ein Token eines Benutzers von %1 an.</translation>
    </message>
</context>
<context>
    <name>cse::views::KeychainStore</name>
    <message>
        <source>the system keychain (service &quot;%1&quot;)</source>
        <translation>dem System-Schlüsselbund (Dienst „%1“)</translation>
    </message>
</context>
<context>
    <name>cse::views::MainWindow</name>
    <message>
        <source>CSE Console</source>
        <translation>CSE Console</translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation>Nicht verbunden.</translation>
    </message>
    <message>
        <source>Demo site failed: %1</source>
        <translation>Demo-Standort fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Demo site: vcd-sim at %1 (certificate SHA-256 %2), data in %3. Connecting…</source>
        <translation>Demo-Standort: vcd-sim unter %1 (Zertifikat SHA-256 %2), Daten in %3. Verbinde…</translation>
    </message>
    <message>
        <source>Starting the demo site…</source>
        <translation>Demo-Standort wird gestartet…</translation>
    </message>
    <message>
        <source>Cannot connect: %1</source>
        <translation>Keine Verbindung: %1</translation>
    </message>
    <message>
        <source>Refresh failed: %1</source>
        <translation>Aktualisierung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Failed requests</source>
        <translation>Fehlgeschlagene Anfragen</translation>
    </message>
    <message>
        <source>&amp;Clusters</source>
        <translation>&amp;Cluster</translation>
    </message>
    <message>
        <source>&amp;Replicas</source>
        <translation>&amp;Repliken</translation>
    </message>
    <message>
        <source>Server &amp;configuration</source>
        <translation>Server&amp;konfiguration</translation>
    </message>
    <message>
        <source>&amp;Activity</source>
        <translation>&amp;Aktivität</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>&amp;Verbinden…</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>A&amp;ktualisieren</translation>
    </message>
    <message>
        <source>&amp;Forget the pinned certificate</source>
        <translation>Gepinntes Zertifikat &amp;vergessen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>C&amp;luster</source>
        <translation>C&amp;luster</translation>
    </message>
    <message>
        <source>Connected to %1 as %2@%3.</source>
        <translation>Verbunden mit %1 als %2@%3.</translation>
    </message>
    <message>
        <source>(API token)</source>
        <translation>(API-Token)</translation>
    </message>
    <message>
        <source>%1 clusters in %2 organizations, %3 replicas; refreshed %4</source>
        <translation>%1 Cluster in %2 Organisationen, %3 Repliken; aktualisiert %4</translation>
    </message>
    <message>
        <source>Demo replica %1: %2</source>
        <translation>Demo-Replik %1: %2</translation>
    </message>
    <message>
        <source>Reading the secret of %1 from %2…</source>
        <translation>Geheimnis von %1 wird aus %2 gelesen…</translation>
    </message>
    <message>
        <source>No secret is stored for %1; enter it.</source>
        <translation>Für %1 ist kein Geheimnis gespeichert; bitte eingeben.</translation>
    </message>
    <message>
        <source>The keychain did not answer (%1); enter the secret.</source>
        <translation>Der Schlüsselbund hat nicht geantwortet (%1); bitte das Geheimnis eingeben.</translation>
    </message>
    <message>
        <source>The secret was not stored (%1): you will be asked for it each time.</source>
        <translation>Das Geheimnis wurde nicht gespeichert (%1): Sie werden jedes Mal danach gefragt.</translation>
    </message>
    <message>
        <source>Connecting to %1 without TLS…</source>
        <translation>Verbindung mit %1 ohne TLS…</translation>
    </message>
    <message>
        <source>Checking the certificate of %1…</source>
        <translation>Zertifikat von %1 wird geprüft…</translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation>%1 ist nicht erreichbar: %2</translation>
    </message>
    <message>
        <source>Trust this certificate?</source>
        <translation>Diesem Zertifikat vertrauen?</translation>
    </message>
    <message>
        <source>First contact with %1.</source>
        <translation>Erster Kontakt mit %1.</translation>
    </message>
    <message>
        <source>Its certificate&apos;s SHA-256 fingerprint is:
%1

Compare it with the fingerprint your administrator gives you. If you trust it, it is remembered for profile %2 and any other certificate will be refused.</source>
        <translation>Der SHA-256-Fingerabdruck seines Zertifikats lautet:
%1

Vergleichen Sie ihn mit dem Fingerabdruck, den Ihr Administrator Ihnen nennt. Wenn Sie ihm vertrauen, wird er für das Profil %2 gemerkt und jedes andere Zertifikat abgelehnt.</translation>
    </message>
    <message>
        <source>&amp;Trust and connect</source>
        <translation>&amp;Vertrauen und verbinden</translation>
    </message>
    <message>
        <source>Not connected: the certificate of %1 was not trusted.</source>
        <translation>Nicht verbunden: dem Zertifikat von %1 wurde nicht vertraut.</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbindung mit %1…</translation>
    </message>
    <message>
        <source>Refused: the certificate of %1 changed.
Pinned:    %2
Presented: %3
This happens when the site renewed its certificate, or when someone intercepts the connection. Ask the site&apos;s administrator; if the new certificate is genuine, use File &gt; Forget the pinned certificate and connect again.</source>
        <translation>Abgelehnt: das Zertifikat von %1 hat sich geändert.
Gepinnt:   %2
Vorgelegt: %3
Das passiert, wenn die Site ihr Zertifikat erneuert hat, oder wenn jemand die Verbindung abfängt. Fragen Sie den Administrator der Site; ist das neue Zertifikat echt, wählen Sie Datei &gt; Gepinntes Zertifikat vergessen und verbinden Sie sich erneut.</translation>
    </message>
    <message>
        <source>Certificate changed</source>
        <translation>Zertifikat geändert</translation>
    </message>
    <message>
        <source>No profile is in use.</source>
        <translation>Kein Profil in Gebrauch.</translation>
    </message>
    <message>
        <source>The pinned certificate of %1 is forgotten; the next connection asks again.</source>
        <translation>Das gepinnte Zertifikat von %1 ist vergessen; die nächste Verbindung fragt erneut.</translation>
    </message>
    <message>
        <source>Bac&amp;kup</source>
        <translation>&amp;Sicherung</translation>
    </message>
</context>
<context>
    <name>cse::views::ReplicasView</name>
    <message>
        <source>Server replicas</source>
        <translation>Server-Repliken</translation>
    </message>
    <message>
        <source>Live replicas and takeovers, last hour</source>
        <translation>Lebende Repliken und Übernahmen, letzte Stunde</translation>
    </message>
    <message>
        <source>Live replicas</source>
        <translation>Lebende Repliken</translation>
    </message>
    <message>
        <source>Takeovers (total)</source>
        <translation>Übernahmen (gesamt)</translation>
    </message>
    <message>
        <source>Chart of live replicas and takeovers</source>
        <translation>Diagramm der lebenden Repliken und Übernahmen</translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation>Nicht verbunden.</translation>
    </message>
    <message>
        <source>Server replicas are not visible with this login (they live in the System org; connect as a provider).</source>
        <translation>Server-Repliken sind mit dieser Anmeldung nicht sichtbar (sie liegen in der Organisation System; verbinden Sie sich als Provider).</translation>
    </message>
    <message>
        <source>No cse-server replica has registered on this site: clusters wait for a server and nothing progresses.</source>
        <translation>Auf dieser Site hat sich keine cse-server-Replik registriert: Cluster warten auf einen Server, nichts geht voran.</translation>
    </message>
    <message numerus="yes">
        <source>No live replica: %n replica(s) registered, none renews its lease. Clusters do not progress.</source>
        <translation>
            <numerusform>Keine lebende Replik: %n Replik registriert, keine erneuert ihre Lease. Cluster kommen nicht voran.</numerusform>
            <numerusform>Keine lebende Replik: %n Repliken registriert, keine erneuert ihre Lease. Cluster kommen nicht voran.</numerusform>
        </translation>
    </message>
    <message>
        <source>Single point of failure: only one replica is live. If it fails, clusters stop progressing until it returns.</source>
        <translation>Single Point of Failure: nur eine Replik lebt. Fällt sie aus, kommen Cluster nicht voran, bis sie zurück ist.</translation>
    </message>
    <message numerus="yes">
        <source>%1 replicas live: the site tolerates %n replica failure(s).</source>
        <translation>
            <numerusform>%1 Repliken leben: die Site verkraftet den Ausfall von %n Replik.</numerusform>
            <numerusform>%1 Repliken leben: die Site verkraftet den Ausfall von %n Repliken.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n replica(s) fenced: lost contact with VCD and stopped writing.</source>
        <translation>
            <numerusform>%n Replik abgeschottet: Kontakt zu VCD verloren, schreibt nicht mehr.</numerusform>
            <numerusform>%n Repliken abgeschottet: Kontakt zu VCD verloren, schreiben nicht mehr.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n replica(s) lost (no heartbeat within the lease).</source>
        <translation>
            <numerusform>%n Replik verloren (kein Heartbeat innerhalb der Lease).</numerusform>
            <numerusform>%n Repliken verloren (kein Heartbeat innerhalb der Lease).</numerusform>
        </translation>
    </message>
    <message>
        <source>HA settings: not visible.</source>
        <translation>HA-Einstellungen: nicht sichtbar.</translation>
    </message>
    <message>
        <source>HA settings (vcdKeConfig)
lease: %1 s
renew: every %2 s
poll: every %3 s
workers per replica: %4
auto-repair: %5 attempts, %6 s backoff</source>
        <translation>HA-Einstellungen (vcdKeConfig)
Lease: %1 s
Erneuern: alle %2 s
Abfragen: alle %3 s
Worker pro Replik: %4
Auto-Reparatur: %5 Versuche, %6 s Wartezeit</translation>
    </message>
</context>
</TS>
