using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// Marks the GLIBCXX_3.4.32 entry of libLibTorchSharp.so's .gnu.version_r as weak (see the .targets file).
public class WeakenGlibcxxRequirement : Task
{
    const string Version = "GLIBCXX_3.4.32";
    const string AllowedSymbol = "_ZSt21ios_base_library_initv";
    const uint ShtDynsym = 11, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;
    const ushort VerFlgWeak = 0x2;

    [Required] public string Directory { get; set; } = "";

    public override bool Execute()
    {
        if (!System.IO.Directory.Exists(Directory)) return true;
        var libraries = System.IO.Directory.GetFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories);
        if (libraries.Length == 0) return true;
        if (SystemLibstdcxxHas(Version))
        {
            Log.LogMessage(MessageImportance.Low, $"System libstdc++ provides {Version}; libLibTorchSharp.so left as is.");
            return true;
        }
        foreach (var path in libraries)
        {
            try { Patch(path); }
            catch (Exception e) { Log.LogError($"{path}: cannot mark {Version} weak: {e.Message}"); }
        }
        return !Log.HasLoggedErrors;
    }

    static bool SystemLibstdcxxHas(string version)
    {
        string[] dirs = { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib/aarch64-linux-gnu", "/usr/lib" };
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (var dir in dirs)
        {
            var file = Path.Combine(dir, "libstdc++.so.6");
            if (File.Exists(file)) return IndexOf(File.ReadAllBytes(file), needle) >= 0;
        }
        return false;
    }

    void Patch(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");
        ulong shoff = BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
        var sections = Enumerable.Range(0, shnum).Select(i => new Section(elf, (int)shoff + i * shentsize)).ToArray();

        var verneed = sections.SingleOrDefault(s => s.Type == ShtGnuVerneed) ?? throw new InvalidDataException("no .gnu.version_r section");
        var verneedStrings = sections[verneed.Link];
        int flagsOffset = -1, versionIndex = -1;
        int need = (int)verneed.Offset;
        for (uint n = 0; n < verneed.Info; n++)
        {
            int aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
            for (int a = 0; a < BitConverter.ToUInt16(elf, need + 2); a++)
            {
                if (CString(elf, (int)verneedStrings.Offset + (int)BitConverter.ToUInt32(elf, aux + 8)) == Version)
                {
                    flagsOffset = aux + 4;
                    versionIndex = BitConverter.ToUInt16(elf, aux + 6);
                }
                aux += (int)BitConverter.ToUInt32(elf, aux + 12);
            }
            need += (int)BitConverter.ToUInt32(elf, need + 12);
        }
        if (flagsOffset < 0) return; // this build does not ask for the version
        if ((BitConverter.ToUInt16(elf, flagsOffset) & VerFlgWeak) != 0) return; // already patched

        // Refuse if the version is needed by anything but the one unused symbol.
        var dynsym = sections.Single(s => s.Type == ShtDynsym);
        var versym = sections.Single(s => s.Type == ShtGnuVersym);
        var dynStrings = sections[dynsym.Link];
        int count = (int)(dynsym.Size / 24);
        for (int i = 0; i < count; i++)
        {
            if ((BitConverter.ToUInt16(elf, (int)versym.Offset + 2 * i) & 0x7fff) != versionIndex) continue;
            var name = CString(elf, (int)dynStrings.Offset + (int)BitConverter.ToUInt32(elf, (int)dynsym.Offset + 24 * i));
            if (name != AllowedSymbol)
                throw new InvalidDataException($"symbol {name} is bound to {Version}; marking it weak would be unsafe");
        }

        var flags = (ushort)(BitConverter.ToUInt16(elf, flagsOffset) | VerFlgWeak);
        BitConverter.GetBytes(flags).CopyTo(elf, flagsOffset);
        var stamp = File.GetLastWriteTimeUtc(path);
        var temp = path + ".patching";
        File.WriteAllBytes(temp, elf);
        File.SetLastWriteTimeUtc(temp, stamp);
        File.Replace(temp, path, null); // an atomic rename over the output copy
        Log.LogMessage(MessageImportance.Normal, $"Marked {Version} weak in {path}");
    }

    static string CString(byte[] bytes, int start)
    {
        int end = Array.IndexOf(bytes, (byte)0, start);
        return Encoding.ASCII.GetString(bytes, start, end - start);
    }

    static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    sealed class Section
    {
        public readonly uint Type, Link, Info;
        public readonly ulong Offset, Size;
        public Section(byte[] elf, int at)
        {
            Type = BitConverter.ToUInt32(elf, at + 4);
            Offset = BitConverter.ToUInt64(elf, at + 24);
            Size = BitConverter.ToUInt64(elf, at + 32);
            Link = BitConverter.ToUInt32(elf, at + 40);
            Info = BitConverter.ToUInt32(elf, at + 44);
        }
    }
}
