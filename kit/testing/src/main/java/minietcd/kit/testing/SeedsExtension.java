package minietcd.kit.testing;

import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Gives a graded test its {@link Seeds}, which knows the command that replays the test. */
public final class SeedsExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Seeds.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Method m = context.getRequiredTestMethod();
        Graded g = m.getAnnotation(Graded.class);
        String lab = g == null ? "?" : Lab.byNumber(g.lab()).map(l -> l.shortName).orElse(String.valueOf(g.lab()));
        String test = m.getDeclaringClass().getSimpleName() + "." + m.getName();
        // Lab 1 builds on no other lab: its clusters' leaders are appointed by the kit, not elected by lab 2's class.
        var elections = g != null && g.lab() == 1 ? minietcd.kit.harness.RaftCluster.Elections.APPOINTED : minietcd.kit.harness.RaftCluster.Elections.LAB_2;
        return new Seeds(test, "./jbang lab-" + lab + " --test " + test, elections);
    }
}
