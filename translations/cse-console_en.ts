<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>cse::items::ActivityModel</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minor code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
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
    <message>
        <source>VDC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-repair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cse::items::EventModel</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>infrastructure</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cse::items::PlanModel</name>
    <message>
        <source>Entity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>update</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>conflict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server instance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (from %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not on this site: created in %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The site&apos;s server configuration differs: the archived one replaces it (the site&apos;s list of registered replicas is kept).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An earlier restore stopped before resolving it: it is resolved now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The site holds it as archived: nothing to do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organization %1 does not exist on this site. Create it in VCD, or enter an existing organization for %2 in the &quot;Restore into org&quot; column above.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its entity type %1 is not registered on this site: the provider installs the CSE server&apos;s types first, then run the dry run again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed on this site since the backup (spec or name differ): left as it is.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cse::items::ReplicaModel</name>
    <message>
        <source>Replica</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heartbeat age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clusters owned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fenced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takeovers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last takeover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fenced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>draining</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lost (no heartbeat)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s (#%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cse::secrets::MemoryStore</name>
    <message>
        <source>this session only (no keychain answered)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cse::site::DemoSite</name>
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
        <source>cannot read the demo administrator password: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cse-server was not found at %1 (set CSE_SERVER)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exited with code %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>did not start a replica (exit code %1): %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cse::site::OperationWatcher</name>
    <message>
        <source>deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deleting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delete requested; waiting for a server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the cluster went to state error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for a server to pick up the retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for a server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 nodes available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upgrading to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>provisioned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cse::site::Site</name>
    <message>
        <source>not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the cluster has no kubeconfig yet (it is written once the control plane is up)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no server configuration is visible on this site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>edit of entity %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (entity %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this is the connection&apos;s own API token; give a token of a user of the cluster&apos;s organization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the owner&apos;s API token is needed: the server acts for the cluster&apos;s owner with it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this is the connection&apos;s own API token; give a token of a user of %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cse::views::BackupView</name>
    <message>
        <source>Create a backup of the connected site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>archive file, e.g. site.cse-backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bro&amp;wse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Archive &amp;file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Include secure fields (API tokens, passwords), encrypted with a passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>at least %n characters</source>
        <translation>
            <numerusform>at least %n character</numerusform>
            <numerusform>at least %n characters</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create &amp;backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify an archive and restore it into the connected site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Arc&amp;hive file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only for an archive with secure fields</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Archive passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taken:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holds:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secure fields:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Org in the archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore into org</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organization mappings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dry run (plan only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup and restore log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the backup as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSE backups (*.cse-backup);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The archive is truncated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The archive is corrupt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The archive&apos;s format is not supported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The archive cannot be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The archive cannot be used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to a site first (File &gt; Connect).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The passphrase must have at least %n characters.</source>
        <translation>
            <numerusform>The passphrase must have at least %n character.</numerusform>
            <numerusform>The passphrase must have at least %n characters.</numerusform>
        </translation>
    </message>
    <message>
        <source>The two passphrases differ; type them again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the site…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading clusters: %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup canceled; no file was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encrypting and writing %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %1 (%2 bytes): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>version %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 by %2 with %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cluster(s), %2 configuration(s), %3 server instance(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>included (encrypted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not included</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifying %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verified %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the target site…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Canceled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the target site failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planned against %1: nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Restoring %n entity(s)…</source>
        <translation>
            <numerusform>Restoring %n entity…</numerusform>
            <numerusform>Restoring %n entities…</numerusform>
        </translation>
    </message>
    <message>
        <source>Restored %1 of %2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore canceled after %1 of %2 entities; run the dry run again to see what is left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restored: %1 created, %2 updated, %3 failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Con&amp;firm:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the second column to restore an org&apos;s clusters into another, existing org.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong passphrase, or the archive was changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The archive is encrypted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The archive is not authentic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The archive is encrypted: enter its passphrase in &quot;Archive passphrase&quot; above and verify again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong passphrase, or the archive was changed after it was written: the two cannot be told apart. Check the passphrase and verify again; if it is right, do not restore from this file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The archive is authentic (its passphrase&apos;s tag holds): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The archive&apos;s checksums hold; they show accidental damage, not a deliberate change: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After the restore, the site compared with the archive: %1 to create, %2 to update, %3 unchanged, %4 conflict.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan: %1 create, %2 update, %3 unchanged, %4 conflict. Nothing is written until you press Restore.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cse::views::ClustersView</name>
    <message>
        <source>Cluster operations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New cluster…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Resize…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Upgrade…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Force delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;try</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download &amp;kubeconfig…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a cluster with the wizard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the server to delete the selected clusters and their VCD resources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete even if the cluster cannot be reached; leftover VCD resources may remain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search name, organization, VDC, error…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search clusters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All states</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for a server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by organization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by owner replica</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clusters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spec</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VCD resources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operation progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop &amp;following</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop following the running operations (the change already sent stays)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped following; the operations continue on the site.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All organizations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All owners</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No VCD resources recorded yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: done (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create %1: submitting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the cluster&apos;s capiYaml: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resize %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (control plane)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Node pool:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Nodes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resize %1 (%2 → %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 runs %2; no newer supported release is a valid upgrade.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upgrade %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current: %1. Only the next minor release or a newer patch is offered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kubernetes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upgrade %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Force delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Force delete %n cluster(s): %1?</source>
        <translation>
            <numerusform>Force delete %n cluster: %1?</numerusform>
            <numerusform>Force delete %n clusters: %1?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n cluster(s): %1?</source>
        <translation>
            <numerusform>Delete %n cluster: %1?</numerusform>
            <numerusform>Delete %n clusters: %1?</numerusform>
        </translation>
    </message>
    <message>
        <source>Force delete removes the cluster entity even if the cluster cannot be reached or its deletion fails. VCD resources (vApp, VMs, load balancer) that the server cannot remove stay behind and must be cleaned up by hand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete asks the server to remove the cluster&apos;s VMs, vApp, load balancer and networking in VCD, then the cluster entity. Workloads and persistent volumes of the cluster are lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Force delete %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetching the kubeconfig of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kubeconfig of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the kubeconfig of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kubeconfig saved to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 runs %2, the newest supported release: there is nothing to upgrade to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upgrade the selected cluster to a newer Kubernetes release</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resource</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resource set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>event: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In error; the server recorded no reason.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No server has taken this cluster yet. This connection cannot see the server replicas (they are in the System organization).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No server has taken this cluster: no cse-server replica is running on this site.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>No server has taken this cluster yet (%n live replica(s)).</source>
        <translation>
            <numerusform>No server has taken this cluster yet (%n live replica).</numerusform>
            <numerusform>No server has taken this cluster yet (%n live replicas).</numerusform>
        </translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It has no owner API token: no server can act for it. Retry asks for one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use an odd number of control plane nodes (1, 3, 5 or 7): etcd needs a majority of them to keep working.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 already has %n node(s): choose another count.</source>
        <translation>
            <numerusform>%1 already has %n node: choose another count.</numerusform>
            <numerusform>%1 already has %n nodes: choose another count.</numerusform>
        </translation>
    </message>
    <message>
        <source>Retry %1: checking its owner API token…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no owner API token, so no server can act for it: a retry would wait for ever. Enter an API token of a user of %2. It is stored in the cluster, where the administrators of %2 can read it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner&apos;s API token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner&apos;s API &amp;token:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry %1: not sent (no owner API token given).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cluster is in error: it has no kubeconfig to download.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the cluster&apos;s kubeconfig (it holds credentials)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cse::views::ConfigEditor</name>
    <message>
        <source>&amp;Lease (s):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Renew every (s):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Poll every (s):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Workers per replica:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-repair &amp;attempts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto-repair &amp;backoff (s):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other settings are edited as JSON.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server configuration as JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Validate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Discard and reload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload and &amp;merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid against %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server configuration (vcdKeConfig) is not visible on this connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The JSON does not parse; fix it on the JSON tab before using the form.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No schema for %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: the configuration does not match the schema %1
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: someone changed the configuration since you loaded it (the ETag no longer matches). &quot;Reload and merge&quot; applies your changes on top of the current version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The JSON does not parse; fix it before merging.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merged your changes into the current version; review and save.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in the JSON is %2, not a whole number within %3..%4; the form shows %5 until you fix it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not valid JSON at line %1, column %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cse::views::ConnectDialog</name>
    <message>
        <source>Connect to a VCD site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;System&quot; logs in as a provider; any other organization as a tenant user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remember in the system keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Profile:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Organization:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>U&amp;ser:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Log in with:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;ecret:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile %1 deleted (a secret in the keychain stays until you connect with a new one).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty: use the stored secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the profile a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The URL must look like https://vcd.example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name the organization (&quot;System&quot; for a provider).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name the user.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put no user name or password in the URL: enter the user under &quot;User&quot; and the password or API token under &quot;Secret&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cse::views::CreateWizard</name>
    <message>
        <source>Nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sizing policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name and placement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lower-case letters, digits and &apos;-&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Organization:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;VDC:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>N&amp;etwork:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kubernetes and node pools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (TKG %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kubernetes release:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Control plane nodes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Control plane &amp;sizing:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worker pools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worker pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove pool</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storage, health and credentials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a default &amp;storage class on this profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Machine &amp;health check (replace unhealthy nodes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Auto-repair on errors during creation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storage &amp;profile:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Owner user:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner&apos;s API &amp;token:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review the Cluster API YAML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is what the server applies. Go back to change it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading VDCs and networks of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read VDCs: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read networks: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create this cluster: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Control plane &amp;only (no worker nodes: workloads run on the control plane)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an API token of the owner user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner&apos;s API token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server acts for the cluster&apos;s owner with this token. It is stored in the cluster, where the administrators of %1 can read it: give a token of a user of %1, never a provider or System token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 already has a cluster named %2: choose another name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the organization to create the cluster in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a VDC of %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a network of %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use an odd number of control plane nodes (1, 3, 5 or 7): etcd needs a majority of them to keep working.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worker pool %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two worker pools are named %1: give each its own name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add at least one worker node, or choose &quot;Control plane only&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the owner user: a user of %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter an API token of %1: the server acts for the cluster&apos;s owner with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is the token this console connected with. Give a token of a user of %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cse::views::KeychainStore</name>
    <message>
        <source>the system keychain (service &quot;%1&quot;)</source>
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
        <source>Failed requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clusters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Replicas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server &amp;configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Activity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Forget the pinned certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;luster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to %1 as %2@%3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(API token)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 clusters in %2 organizations, %3 replicas; refreshed %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo replica %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the secret of %1 from %2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No secret is stored for %1; enter it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain did not answer (%1); enter the secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The secret was not stored (%1): you will be asked for it each time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1 without TLS…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the certificate of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trust this certificate?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First contact with %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its certificate&apos;s SHA-256 fingerprint is:
%1

Compare it with the fingerprint your administrator gives you. If you trust it, it is remembered for profile %2 and any other certificate will be refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Trust and connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected: the certificate of %1 was not trusted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused: the certificate of %1 changed.
Pinned:    %2
Presented: %3
This happens when the site renewed its certificate, or when someone intercepts the connection. Ask the site&apos;s administrator; if the new certificate is genuine, use File &gt; Forget the pinned certificate and connect again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No profile is in use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The pinned certificate of %1 is forgotten; the next connection asks again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bac&amp;kup</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cse::views::ReplicasView</name>
    <message>
        <source>Server replicas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live replicas and takeovers, last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live replicas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takeovers (total)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chart of live replicas and takeovers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server replicas are not visible with this login (they live in the System org; connect as a provider).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No cse-server replica has registered on this site: clusters wait for a server and nothing progresses.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>No live replica: %n replica(s) registered, none renews its lease. Clusters do not progress.</source>
        <translation>
            <numerusform>No live replica: %n replica registered, it does not renew its lease. Clusters do not progress.</numerusform>
            <numerusform>No live replica: %n replicas registered, none renews its lease. Clusters do not progress.</numerusform>
        </translation>
    </message>
    <message>
        <source>Single point of failure: only one replica is live. If it fails, clusters stop progressing until it returns.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 replicas live: the site tolerates %n replica failure(s).</source>
        <translation>
            <numerusform>%1 replicas live: the site tolerates %n replica failure.</numerusform>
            <numerusform>%1 replicas live: the site tolerates %n replica failures.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n replica(s) fenced: lost contact with VCD and stopped writing.</source>
        <translation>
            <numerusform>%n replica fenced: lost contact with VCD and stopped writing.</numerusform>
            <numerusform>%n replicas fenced: lost contact with VCD and stopped writing.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n replica(s) lost (no heartbeat within the lease).</source>
        <translation>
            <numerusform>%n replica lost (no heartbeat within the lease).</numerusform>
            <numerusform>%n replicas lost (no heartbeat within the lease).</numerusform>
        </translation>
    </message>
    <message>
        <source>HA settings: not visible.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HA settings (vcdKeConfig)
lease: %1 s
renew: every %2 s
poll: every %3 s
workers per replica: %4
auto-repair: %5 attempts, %6 s backoff</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
