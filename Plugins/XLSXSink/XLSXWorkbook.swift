import CadangCore
import CXLSXWriter

/// One libxlsxwriter workbook being written by path: its formats and its sheets, with the
/// library's errors turned into `CadangError`s that name the file.
///
/// The library writes the worksheets' rows to temporary files in `temporaryFolder` (the staged
/// set's folder, so they stay on the backup drive and are private) and assembles the zip on
/// `close()`. Not thread-safe: one writer thread at a time, as `TableWriter` guarantees.
final class XLSXWorkbook {
    /// The workbook's path, for messages.
    let path: String
    private var workbook: UnsafeMutablePointer<lxw_workbook>?
    /// The bold header cells.
    let headerFormat: UnsafeMutablePointer<lxw_format>
    /// Integer cells: all digits, never `1.2E+11`.
    let integerFormat: UnsafeMutablePointer<lxw_format>
    /// An empty cell that is still written, so a row of NULLs is not dropped from the sheet.
    let emptyFormat: UnsafeMutablePointer<lxw_format>

    init(path: String, temporaryFolder: String) throws {
        self.path = path
        var options = lxw_workbook_options()
        options.constant_memory = UInt8(LXW_TRUE.rawValue)
        let opened = temporaryFolder.withCString { folder -> UnsafeMutablePointer<lxw_workbook>? in
            options.tmpdir = UnsafeMutablePointer(mutating: folder)
            return workbook_new_opt(path, &options)
        }
        guard let opened,
              let header = workbook_add_format(opened),
              let integer = workbook_add_format(opened),
              let empty = workbook_add_format(opened) else {
            throw CadangError(.failure, "cannot start the workbook \(path) (out of memory, or the folder is not writable)",
                              fix: "check that the repository folder is writable and has space")
        }
        workbook = opened
        // The same rows give the same bytes (the kit checks it, and an unchanged table then
        // archives identically): the creation date, which the library would take from the clock
        // and also stamp on the zip's members, is fixed at the zip format's epoch.
        var properties = lxw_doc_properties()
        properties.created = 315_532_800 // 1980-01-01T00:00:00Z
        workbook_set_properties(opened, &properties)
        format_set_bold(header)
        format_set_num_format(integer, "0")
        headerFormat = header
        integerFormat = integer
        emptyFormat = empty
    }

    deinit {
        // A workbook dropped after a failure is still closed so its temporary files go; the
        // half-written file is then removed with the staged set.
        if let workbook { workbook_close(workbook) }
    }

    /// Adds a sheet named `name`, which the caller has made valid and unique.
    func addSheet(_ name: String) throws -> UnsafeMutablePointer<lxw_worksheet> {
        guard let workbook else { throw closedError }
        let problem = workbook_validate_sheet_name(workbook, name)
        guard problem == LXW_NO_ERROR, let sheet = workbook_add_worksheet(workbook, name) else {
            throw error(problem == LXW_NO_ERROR ? LXW_ERROR_MEMORY_MALLOC_FAILED : problem, "add the sheet '\(name)' to")
        }
        return sheet
    }

    /// Writes the zip and closes the library's file; the workbook is complete at `path` after.
    func close() throws {
        guard let workbook else { throw closedError }
        self.workbook = nil
        let result = workbook_close(workbook)
        guard result == LXW_NO_ERROR else { throw error(result, "finish") }
    }

    /// The error for a library call that returned `code` while trying to `action` the workbook.
    func error(_ code: lxw_error, _ action: String) -> CadangError {
        let reason = String(cString: lxw_strerror(code))
        return CadangError(.failure, "cannot \(action) the workbook \(path): \(reason)",
                           fix: code == LXW_ERROR_CREATING_XLSX_FILE || code == LXW_ERROR_CREATING_TMPFILE
                               ? "check that the repository drive is writable and has space" : nil)
    }

    private var closedError: CadangError { CadangError(.failure, "the workbook \(path) is already closed") }
}
