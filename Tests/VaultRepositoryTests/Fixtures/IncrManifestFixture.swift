/// A diff-chain incremental manifest written by hand in pgBackRest 2.45's format: keys with `=`, UTF-8 names,
/// per-file overrides of the defaults, a bundle, a reference, page-checksum errors, a tablespace and a link.
/// Its `backrest-checksum` was computed by an independent Python implementation of reference §2.2.
enum IncrManifestFixture {
    static let text = #"""
[backrest]
backrest-format=5
backrest-version="2.45"

[backup]
backup-archive-start="000000010000000000000004"
backup-archive-stop="000000010000000000000004"
backup-label="20240115-101500F_20240116-101500I"
backup-lsn-start="0/4000028"
backup-lsn-stop="0/4000100"
backup-prior="20240115-101500F"
backup-reference="20240115-101500F,20240115-101500F_20240116-101500I"
backup-timestamp-copy-start=1705400101
backup-timestamp-start=1705400100
backup-timestamp-stop=1705400110
backup-type="incr"

[backup:db]
db-catalog-version=202209061
db-control-version=1300
db-id=1
db-system-id=7712362098826484028
db-version="15"

[backup:option]
option-archive-check=true
option-archive-copy=false
option-backup-standby=false
option-buffer-size=1048576
option-checksum-page=true
option-compress=true
option-compress-level=1
option-compress-level-network=3
option-compress-type="lz4"
option-delta=false
option-hardlink=false
option-online=true
option-process-max=2

[backup:target]
pg_data={"path":"/var/lib/postgresql/15/main","type":"path"}
pg_tblspc/16385={"path":"/srv/ts1","tablespace-id":"16385","tablespace-name":"ts1","type":"link"}

[cipher]
cipher-pass="c0mpl3x/pass+word=="

[db]
a=b={"db-id":16390,"db-last-system-id":16383}
postgres={"db-id":5,"db-last-system-id":16383}
template0={"db-id":4,"db-last-system-id":16383}
été={"db-id":16391,"db-last-system-id":16383}

[metadata]
annotation={"owner":"ops/team","reason":"line1\nline2 \"quoted\""}

[target:file]
pg_data/PG_VERSION={"checksum":"8d1e6b8bf7ee6a0e2e8cfd7b2b6b34e8e8a8c7b7","reference":"20240115-101500F","repo-size":23,"size":3,"timestamp":1705300000}
pg_data/backup_label={"checksum":"1111111111111111111111111111111111111111","mode":"0640","rck":"2222222222222222222222222222222222222222","repo-size":200,"size":230,"timestamp":1705400110}
pg_data/base/1/1259={"checksum":"3333333333333333333333333333333333333333","checksum-page":false,"checksum-page-error":[1,[5,9]],"group":false,"repo-size":1000,"size":8192,"timestamp":1705400000,"user":"root"}
pg_data/base/1/pg_filenode.map={"bni":1,"bno":512,"checksum":"4444444444444444444444444444444444444444","size":512,"timestamp":1705400000}
pg_data/dir=x/fi=le ü.txt={"checksum":"5555555555555555555555555555555555555555","size":10,"timestamp":1705400001}
pg_data/empty={"size":0,"timestamp":1705400002}
pg_tblspc/16385/PG_15_202209061/16390/16400={"checksum":"6666666666666666666666666666666666666666","checksum-page":true,"size":16384,"timestamp":1705400003}

[target:file:default]
group="postgres"
mode="0600"
user="postgres"

[target:link]
pg_data/pg_tblspc/16385={"destination":"/srv/ts1"}

[target:link:default]
group="postgres"
user="postgres"

[target:path]
pg_data={}
pg_data/base={}
pg_data/base/1={"mode":"0750"}
pg_data/dir=x={}
pg_data/pg_tblspc={}
pg_tblspc={}
pg_tblspc/16385={}
pg_tblspc/16385/PG_15_202209061={}
pg_tblspc/16385/PG_15_202209061/16390={"group":false}

[target:path:default]
group="postgres"
mode="0700"
user="postgres"

[backrest]
backrest-checksum="65987aee8e3b8e85c5e6a6b7cdfe22584343adb3"
"""# + "\n"
}
