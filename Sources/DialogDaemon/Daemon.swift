import DialogCore
import DialogStore
