// VaultConfig: see ARCHITECTURE.md
