package minietcd.kit.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LabClassTest {
    public static final class Greeting implements Supplier<String> {
        private final String name;

        public Greeting(String name) {
            if (name.isEmpty()) throw new UnsupportedOperationException("TODO(lab 9 part A): greet");
            this.name = name;
        }

        @Override public String get() { return "hello " + name; }
    }

    @SuppressWarnings("unchecked")
    private static final Class<Supplier<String>> SUPPLIER = (Class<Supplier<String>>) (Class<?>) Supplier.class;

    @Test
    void opensTheClassByNameWithItsConstructor() {
        LabClass<Supplier<String>> greeting = new LabClass<>(9, Greeting.class.getName(), SUPPLIER);
        assertThat(greeting.create(new Class<?>[] {String.class}, "raft").get()).isEqualTo("hello raft");
    }

    @Test
    void whatTheLabsCodeThrowsComesThroughAsItIs() {
        LabClass<Supplier<String>> greeting = new LabClass<>(9, Greeting.class.getName(), SUPPLIER);
        assertThatThrownBy(() -> greeting.create(new Class<?>[] {String.class}, "")).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("TODO(lab 9 part A): greet");
    }

    @Test
    void aMissingClassOrConstructorOrContractNamesTheLabAndWhatToDo() {
        assertThatThrownBy(() -> new LabClass<>(2, "minietcd.raft.NoSuchElection", Runnable.class).create(new Class<?>[0]))
                .hasMessageStartingWith("the class minietcd.raft.NoSuchElection of lab 2 is not on the classpath: run with lab 2's reference classes");
        assertThatThrownBy(() -> new LabClass<>(9, Greeting.class.getName(), SUPPLIER).create(new Class<?>[] {int.class}, 1))
                .hasMessageEndingWith("(lab 9) needs a public constructor taking (int)");
        assertThatThrownBy(() -> new LabClass<>(9, Greeting.class.getName(), Runnable.class).create(new Class<?>[] {String.class}, "x"))
                .hasMessageEndingWith("(lab 9) must implement java.lang.Runnable");
    }
}
