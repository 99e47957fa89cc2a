//! What an ingest reads: files on disk, or bytes uploaded with their file name; and the files a
//! path names, walking sub-folders unless told not to.

use std::collections::HashSet;
use std::io::Read;
use std::ops::Deref;
use std::path::{Path, PathBuf};

use encore_ingest::{io_error, IngestError};

/// One file to ingest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file on disk, read when its turn comes.
    Path(PathBuf),
    /// Bytes sent to the server. `name` is the file's published name: Spotify's region and date,
    /// and Billboard's Global 200, come from it, and it names the source in the store.
    Upload { name: String, bytes: Vec<u8> },
}

impl Input {
    /// The name the file is known by in messages, in the store and to the parsers.
    pub fn name(&self) -> String {
        match self {
            Input::Path(path) => path.display().to_string(),
            Input::Upload { name, .. } => name.clone(),
        }
    }

    /// The folder the file was found in, for the summary by folder; empty for an upload.
    pub fn folder(&self) -> String {
        match self {
            Input::Path(path) => path.parent().map(|parent| parent.display().to_string()).unwrap_or_default(),
            Input::Upload { .. } => String::new(),
        }
    }
}

/// Files from this size on are mapped into memory rather than copied into it: a listening log of
/// gigabytes is then read from the page cache where it lies, and copying it (the kernel clearing a
/// fresh page for every 4 KiB) was the largest single cost of ingesting one.
const MAP_FROM_BYTES: u64 = 16 << 20;

/// The bytes of one input: read into memory, or mapped from a large file on disk.
pub(crate) enum InputBytes {
    Read(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl InputBytes {
    /// The bytes of `input`: an upload's own, a small file read whole, a large one mapped.
    pub(crate) fn of(input: Input) -> std::io::Result<InputBytes> {
        let path = match input {
            Input::Upload { bytes, .. } => return Ok(InputBytes::Read(bytes)),
            Input::Path(path) => path,
        };
        let mut file = std::fs::File::open(&path)?;
        let length = file.metadata()?.len();
        if length < MAP_FROM_BYTES {
            let mut bytes = Vec::with_capacity(length as usize);
            file.read_to_end(&mut bytes)?;
            return Ok(InputBytes::Read(bytes));
        }
        // SAFETY: the map is read only, and only while this ingest reads the file. Another
        // program writing the same file meanwhile would change the bytes under the parse (and
        // one truncating it would stop the process): the ingest would then store what it read,
        // as with a file copied while it was written, and its commit stays whole or absent.
        let map = unsafe { memmap2::Mmap::map(&file)? };
        // Read in order, once: ask the kernel to read ahead. Advice is a hint; its failure is not.
        let _ = map.advise(memmap2::Advice::Sequential);
        Ok(InputBytes::Mapped(map))
    }
}

impl Deref for InputBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            InputBytes::Read(bytes) => bytes,
            InputBytes::Mapped(map) => map,
        }
    }
}

/// Whether a folder's sub-folders are read too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recurse {
    /// Walk every sub-folder (the default of `encore ingest`).
    Yes,
    /// Only the files directly inside each named folder.
    No,
}

/// The files `paths` name, in order: a named file as it is (whatever its name), a folder's files
/// sorted by path, leaving out hidden files and folders, `README*` and `*.md`. Links are followed;
/// a folder reached twice is read once.
pub fn list_inputs(paths: &[PathBuf], recurse: Recurse) -> Result<Vec<Input>, IngestError> {
    let mut inputs = Vec::new();
    let mut folders_seen = HashSet::new();
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|source| io_error(path, source))?;
        if metadata.is_dir() {
            let mut files = Vec::new();
            list_folder(path, recurse, &mut folders_seen, &mut files)?;
            files.sort();
            inputs.extend(files.into_iter().map(Input::Path));
        } else {
            inputs.push(Input::Path(path.clone()));
        }
    }
    Ok(inputs)
}

fn list_folder(
    folder: &Path,
    recurse: Recurse,
    folders_seen: &mut HashSet<PathBuf>,
    files: &mut Vec<PathBuf>,
) -> Result<(), IngestError> {
    // A link back up the tree would otherwise be walked forever.
    let canonical = std::fs::canonicalize(folder).map_err(|source| io_error(folder, source))?;
    if !folders_seen.insert(canonical) {
        return Ok(());
    }
    for entry in std::fs::read_dir(folder).map_err(|source| io_error(folder, source))? {
        let entry = entry.map_err(|source| io_error(folder, source))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_lowercase();
        if name.starts_with('.') {
            continue;
        }
        // `fs::metadata` follows links, so a link to a file counts as a file.
        let metadata = std::fs::metadata(&path).map_err(|source| io_error(&path, source))?;
        if metadata.is_dir() {
            if recurse == Recurse::Yes {
                list_folder(&path, recurse, folders_seen, files)?;
            }
        } else if metadata.is_file() && !name.starts_with("readme") && !name.ends_with(".md") {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_file_is_mapped_a_small_one_read_and_both_give_their_bytes() {
        let folder = tempfile::tempdir().unwrap();
        let large: Vec<u8> = (0..MAP_FROM_BYTES as usize + 3).map(|index| (index % 251) as u8).collect();
        let (small_path, large_path) = (folder.path().join("small.csv"), folder.path().join("large.jsonl"));
        std::fs::write(&small_path, b"uts,artist\n").unwrap();
        std::fs::write(&large_path, &large).unwrap();
        let small = InputBytes::of(Input::Path(small_path)).unwrap();
        assert!(matches!(small, InputBytes::Read(_)));
        assert_eq!(&*small, b"uts,artist\n");
        let mapped = InputBytes::of(Input::Path(large_path)).unwrap();
        assert!(matches!(mapped, InputBytes::Mapped(_)));
        assert!(*mapped == *large);
        let upload = InputBytes::of(Input::Upload { name: "up.csv".into(), bytes: large.clone() }).unwrap();
        assert!(matches!(upload, InputBytes::Read(_)));
        let missing = InputBytes::of(Input::Path(folder.path().join("gone.csv")));
        assert_eq!(missing.err().map(|error| error.kind()), Some(std::io::ErrorKind::NotFound));
    }

    fn names(inputs: &[Input], root: &Path) -> Vec<String> {
        inputs
            .iter()
            .map(|input| match input {
                Input::Path(path) => path.strip_prefix(root).unwrap().display().to_string(),
                Input::Upload { name, .. } => name.clone(),
            })
            .collect()
    }

    #[test]
    fn walks_sub_folders_sorted_without_notes_or_hidden_entries() {
        let folder = tempfile::tempdir().unwrap();
        let root = folder.path();
        std::fs::create_dir_all(root.join("sub/deeper")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        for name in ["b.json", "a.json", "README", "notes.md", ".hidden.json", "sub/c.csv", "sub/deeper/d.csv"] {
            std::fs::write(root.join(name), "{}").unwrap();
        }
        std::fs::write(root.join(".git/config"), "x").unwrap();
        let all = list_inputs(&[root.to_path_buf()], Recurse::Yes).unwrap();
        assert_eq!(names(&all, root), ["a.json", "b.json", "sub/c.csv", "sub/deeper/d.csv"]);
        let top = list_inputs(&[root.to_path_buf()], Recurse::No).unwrap();
        assert_eq!(names(&top, root), ["a.json", "b.json"]);
        assert_eq!(all[2].folder(), root.join("sub").display().to_string());
    }

    #[test]
    fn a_named_file_is_read_whatever_its_name_and_a_missing_path_is_the_users() {
        let folder = tempfile::tempdir().unwrap();
        let notes = folder.path().join("README.md");
        std::fs::write(&notes, "x").unwrap();
        assert_eq!(list_inputs(std::slice::from_ref(&notes), Recurse::Yes).unwrap(), [Input::Path(notes)]);
        let missing = list_inputs(&[folder.path().join("nope")], Recurse::Yes);
        assert!(matches!(missing, Err(IngestError::Missing { .. })), "{missing:?}");
    }

    #[test]
    fn a_link_back_up_the_tree_is_walked_once() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::create_dir(folder.path().join("sub")).unwrap();
        std::fs::write(folder.path().join("sub/a.csv"), "x").unwrap();
        std::os::unix::fs::symlink(folder.path(), folder.path().join("sub/loop")).unwrap();
        let inputs = list_inputs(&[folder.path().to_path_buf()], Recurse::Yes).unwrap();
        assert_eq!(names(&inputs, folder.path()), ["sub/a.csv"]);
    }
}
