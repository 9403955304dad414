/// A source whose records can be listed page by page and read one at a time: the orders list, the
/// order page and `GET /api/v1/sources/<source>/orders` of `cadang serve` (DESIGN §8).
///
/// Contract: `browsing` declares every parameter `browse` accepts, and the host refuses any other
/// before calling it (the console builds its filter form and smart filters from the same
/// declaration). `browse` answers one page, newest first, with the number of records the filters
/// match, and never reads the records outside the page into memory: it must stay fast with a
/// million records. A parameter whose value is wrong throws a `CadangError` with status `.usage`
/// (the API's 400). `record` returns nil for a key it does not hold. Both only read, and may be
/// called from several threads at once.
public protocol RecordBrowsing: Source {
    /// The filters, smart filters and columns of the list.
    var browsing: BrowseDeclaration { get }
    /// One page of the records `query` selects.
    func browse(_ query: BrowseQuery, state: SourceState) throws -> BrowsePage
    /// Everything kept about one record, or nil when there is none with `key`.
    func record(_ key: String, state: SourceState) throws -> RecordDetail?
}
