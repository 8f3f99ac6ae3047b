package minietcd.tutorial;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * Whose lab classes a demo runs: the reference's or the learner's, each through a class loader of
 * its own that looks in its folders first for the labs' packages ({@code minietcd.*} but the kit's
 * {@code minietcd.kit.*}), so both can run in one process. The kit opens lab classes through the
 * thread's context class loader ({@link minietcd.kit.lab.LabClass}), which a demo sets to its own.
 *
 * @param name   {@code reference} or {@code yours}
 * @param loader where the labs' classes come from
 */
public record LabCode(String name, ClassLoader loader) {
    public static final String REFERENCE = "reference", YOURS = "yours";

    /** The labs' classes in {@code folders} (compiled classes, one folder a lab), before the parent's. */
    public static LabCode of(String name, List<Path> folders, ClassLoader parent) {
        URL[] urls = folders.stream().map(f -> {
            try {
                return f.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(f.toString(), e);
            }
        }).toArray(URL[]::new);
        return new LabCode(name, new LabsFirst(urls, parent));
    }

    /** Child-first for the labs' packages, parent-first for everything else (the kit, the JDK, the libraries). */
    private static final class LabsFirst extends URLClassLoader {
        LabsFirst(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("minietcd.") || name.startsWith("minietcd.kit.") || name.startsWith("minietcd.tutorial.")) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException notHere) {
                        c = super.loadClass(name, false);
                    }
                }
                if (resolve) resolveClass(c);
                return c;
            }
        }
    }
}
