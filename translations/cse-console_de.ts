<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
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
</context>
<context>
    <name>cse::views::DemoSite</name>
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
        <source>cannot read the demo administrator password in %1</source>
        <translation>das Administratorkennwort der Demo in %1 ist nicht lesbar</translation>
    </message>
</context>
<context>
    <name>cse::views::MainWindow</name>
    <message>
        <source>CSE Console</source>
        <translation>CSE Console</translation>
    </message>
    <message>
        <source>Server replicas: the highly available cse-server is not part of this build yet, so clusters waiting for a server keep their state. Resize and upgrade of provisioned clusters need no server.</source>
        <translation>Server-Repliken: der hochverfügbare cse-server ist noch nicht Teil dieses Builds; Cluster, die auf einen Server warten, behalten ihren Zustand. Größenänderung und Upgrade bereitgestellter Cluster brauchen keinen Server.</translation>
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
        <source>%1 clusters in %2 organizations; refreshed %3</source>
        <translation>%1 Cluster in %2 Organisationen; aktualisiert %3</translation>
    </message>
    <message>
        <source>Refresh incomplete: %1</source>
        <translation>Aktualisierung unvollständig: %1</translation>
    </message>
</context>
</TS>
