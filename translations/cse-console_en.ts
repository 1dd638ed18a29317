<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>cse::items::ClusterModel</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kubernetes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner replica</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (delete requested)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for a server</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cse::views::DemoSite</name>
    <message>
        <source>vcd-sim could not be started (%1): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vcd-sim exited with code %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vcd-sim was not found at %1 (set CSE_VCD_SIM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the demo administrator password in %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cse::views::MainWindow</name>
    <message>
        <source>CSE Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server replicas: the highly available cse-server is not part of this build yet, so clusters waiting for a server keep their state. Resize and upgrade of provisioned clusters need no server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo site failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo site: vcd-sim at %1 (certificate SHA-256 %2), data in %3. Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting the demo site…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot connect: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 clusters in %2 organizations; refreshed %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh incomplete: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
