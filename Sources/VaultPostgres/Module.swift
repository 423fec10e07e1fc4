// VaultPostgres: see ARCHITECTURE.md
