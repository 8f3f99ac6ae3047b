package minietcd.kit.server;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.ServletMapping;

/**
 * The servlet that takes {@code /v3/watch} and {@code /v3beta/watch} away from Javalin's, and hands
 * them, like every other path, to the gateway's routing ({@link Routes}).
 *
 * <p>It exists because a watch stream runs in servlet async mode and outlives the call that starts
 * it: Javalin 7 completes the async context of a request as soon as its handler returns (it takes
 * async as its own futures), which would end every stream at once. This servlet supports async and
 * leaves the request alone when it returns. Routing is the same as through Javalin: the exact paths
 * map here, anything else (other methods on these paths included) is answered by {@link Routes} as
 * always.
 */
final class WatchServlet extends HttpServlet {
    /** Set on every request that came through this servlet, which is the only place a stream may start. */
    static final String VIA = WatchServlet.class.getName();

    /** What answers the requests: the gateway's routing. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpServletRequest req, HttpServletResponse res) throws IOException;
    }

    private final transient Handler handler;

    private WatchServlet(Handler handler) {
        this.handler = handler;
    }

    /** Maps the watch paths of Javalin's servlet context to {@code handler}, async supported. */
    static void mount(ServletContextHandler context, Handler handler) {
        ServletHolder holder = new ServletHolder("etcd-watch", new WatchServlet(handler));
        holder.setAsyncSupported(true);
        context.getServletHandler().addServlet(holder);
        ServletMapping paths = new ServletMapping();
        paths.setServletName(holder.getName());
        paths.setPathSpecs(new String[] {"/v3/watch", "/v3beta/watch"});
        context.getServletHandler().addServletMapping(paths);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
        req.setAttribute(VIA, Boolean.TRUE);
        handler.handle(req, res);
    }
}
