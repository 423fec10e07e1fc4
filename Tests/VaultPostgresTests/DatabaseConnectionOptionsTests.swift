import Testing
@testable import VaultPostgres

struct DatabaseConnectionOptionsTests {
    @Test(arguments: [
        (DatabaseConnectionOptions(), "application_name='pgvault'"),
        (DatabaseConnectionOptions(socketPath: "/var/run/postgresql", port: 5432, user: "postgres", database: "postgres"),
         "dbname='postgres' port=5432 host='/var/run/postgresql' user='postgres' application_name='pgvault'"),
        (DatabaseConnectionOptions(host: "db.example", port: 6000), "port=6000 host='db.example' application_name='pgvault'"),
        (DatabaseConnectionOptions(socketPath: "/tmp", host: "db.example"), "host='/tmp' application_name='pgvault'"),
        (DatabaseConnectionOptions(user: "o'brien", database: "a\\b c"),
         "dbname='a\\\\b c' user='o\\'brien' application_name='pgvault'"),
    ])
    func conninfoHoldsOnlyGivenValues(options: DatabaseConnectionOptions, conninfo: String) {
        #expect(options.conninfo == conninfo)
    }
}
