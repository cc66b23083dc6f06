extension ConversationStore {
    /// Gives back the page cache's clean pages (`PRAGMA shrink_memory`; dirty pages of an open
    /// transaction stay). A large record's pages fill the 16 MiB cache that is meant for the key
    /// index's hot pages and are never read again: four 4 MiB `.conv` files left 16 MiB of them
    /// resident (issue 12). The hot pages come back from the file with the next batch.
    public func releaseCachedPages() {
        try? database.execute("PRAGMA shrink_memory")
    }
}
