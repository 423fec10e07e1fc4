import VaultCommands
import VaultCore
