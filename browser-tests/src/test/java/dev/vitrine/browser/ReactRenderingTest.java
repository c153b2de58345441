package dev.vitrine.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Page;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** React components compiled on the server run in the frame on libraries from the sandbox origin alone. */
class ReactRenderingTest {
    @RegisterExtension
    static final BrowserSession session = new BrowserSession();

    @Test
    void dashboardRendersItsChartAndIconsAndAnswersAClickWithNoRequestElsewhere() {
        String id = session.client().create("react", "Dashboard", sample("dashboard.tsx")).get("id").asText();
        Page page = session.newPage();
        List<String> requested = new CopyOnWriteArrayList<>();
        page.onRequest(request -> requested.add(request.url()));
        page.navigate(session.chatUrl(id));

        FrameLocator frame = page.frameLocator("#frame-host iframe");
        assertThat(frame.getByTestId("dashboard-heading")).containsText("last 7 days");
        assertThat(frame.locator("svg.recharts-surface").first()).isVisible();
        assertThat(frame.locator("svg.lucide").first()).isVisible();
        frame.getByTestId("range-toggle").click();
        assertThat(frame.getByTestId("day-count")).hasText("30");
        assertThat(frame.getByTestId("dashboard-heading")).containsText("last 30 days");
        // Tailwind turned the utility classes into styles: bg-indigo-600 is an oklch colour, a default button is grey rgb.
        Object background = frame.getByTestId("range-toggle").evaluate("b => getComputedStyle(b).backgroundColor");
        assertTrue(String.valueOf(background).startsWith("oklch("), "toggle background " + background);

        Set<String> origins = Set.of(session.server().appOrigin().toString(), session.server().sandboxOrigin().toString());
        for (String url : requested) {
            URI uri = URI.create(url);
            String origin = uri.getScheme() + "://" + uri.getAuthority();
            assertTrue(origins.contains(origin) || url.startsWith("data:"), "a request left for " + url);
        }
        assertTrue(requested.stream().anyMatch(url -> url.contains("/_vitrine/vendor/")), "libraries came from the sandbox origin");
        assertEquals(List.of(), session.canary().hits());
        page.context().close();
    }

    @Test
    void componentThatThrowsWhileRenderingIsReportedToTheChatPage() {
        String id = session.client().create("react", "Thrower", """
                export default function App(): JSX.Element {
                  throw new Error('boom from render');
                }
                """).get("id").asText();
        Page page = session.newPage();
        page.navigate(session.chatUrl(id));

        assertThat(page.locator("#frame-errors li").first()).containsText("boom from render");
        assertThat(page.frameLocator("#frame-host iframe").locator("[data-vitrine-error]")).containsText("boom from render");
        page.context().close();
    }

    @Test
    void threeSceneDrawsOnItsCanvas() throws IOException {
        String id = session.client().create("react", "Cube", """
                import { useEffect, useRef } from 'react';
                import * as THREE from 'three';

                export default function Cube() {
                  const host = useRef<HTMLDivElement>(null);
                  useEffect(() => {
                    const renderer = new THREE.WebGLRenderer({ antialias: true });
                    renderer.setSize(320, 240);
                    renderer.setClearColor(0x0b1020);
                    host.current!.appendChild(renderer.domElement);
                    const scene = new THREE.Scene();
                    const camera = new THREE.PerspectiveCamera(60, 320 / 240, 0.1, 100);
                    camera.position.z = 3;
                    const cube = new THREE.Mesh(new THREE.BoxGeometry(1.4, 1.4, 1.4), new THREE.MeshBasicMaterial({ color: 0xff3b30 }));
                    cube.rotation.set(0.5, 0.7, 0);
                    scene.add(cube);
                    renderer.setAnimationLoop(() => renderer.render(scene, camera));
                    host.current!.dataset.drawn = 'yes';
                    return () => { renderer.setAnimationLoop(null); renderer.dispose(); };
                  }, []);
                  return <div ref={host} data-testid="scene" />;
                }
                """).get("id").asText();
        Page page = session.newPage();
        page.navigate(session.chatUrl(id));

        FrameLocator frame = page.frameLocator("#frame-host iframe");
        assertThat(frame.getByTestId("scene")).hasAttribute("data-drawn", "yes");
        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(frame.locator("canvas").screenshot()));
        int red = 0;
        int background = 0;
        for (int y = 0; y < shot.getHeight(); y++) {
            for (int x = 0; x < shot.getWidth(); x++) {
                Color pixel = new Color(shot.getRGB(x, y));
                if (pixel.getRed() > 200 && pixel.getGreen() < 100) {
                    red++;
                } else if (pixel.getRed() < 40 && pixel.getBlue() < 60) {
                    background++;
                }
            }
        }
        int pixels = shot.getWidth() * shot.getHeight();
        assertTrue(red > pixels / 20, "the cube covers " + red + " of " + pixels + " pixels");
        assertTrue(background > pixels / 4, "the clear colour covers " + background + " of " + pixels + " pixels");
        assertThat(page.locator("#frame-errors li")).hasCount(0);
        assertEquals(List.of(), session.canary().hits());
        page.context().close();
    }

    @Test
    void syntaxErrorPastedInTheChatPageIsShownWithItsLine() {
        Page page = session.newPage();
        page.navigate(session.server().appOrigin() + "/#key=" + session.server().apiKey());
        page.locator("#composer-type").selectOption("react");
        page.locator("#composer-content").fill("export default function App() {\n  return <div>unclosed;\n}\n");
        page.locator("#composer button[type=submit]").click();

        assertThat(page.locator("#status")).containsText("compile_error");
        assertThat(page.locator("#status")).containsText("line 2");
        assertThat(page.locator("#frame-host iframe")).hasCount(0);
        page.context().close();
    }

    @Test
    void errorThrownByAClickHandlerIsReportedWithTheVersion() {
        String id = session.client().create("react", "Clicker", """
                export default function App() {
                  return <button data-testid="explode" onClick={() => { throw new Error('clicked into a bug'); }}>Go</button>;
                }
                """).get("id").asText();
        Page page = session.newPage();
        page.navigate(session.chatUrl(id));

        page.frameLocator("#frame-host iframe").getByTestId("explode").click();
        assertThat(page.locator("#frame-errors li")).hasCount(1);
        assertThat(page.locator("#frame-errors li")).containsText("v1 uncaught: Uncaught Error: clicked into a bug");
        page.context().close();
    }

    @Test
    void rejectedPromiseNobodyHandlesIsReportedWithTheVersion() {
        String id = session.client().create("react", "Loader", """
                import { useEffect } from 'react';
                export default function App() {
                  useEffect(() => { Promise.reject(new Error('data never came')); }, []);
                  return <p data-testid="loader">loading</p>;
                }
                """).get("id").asText();
        Page page = session.newPage();
        page.navigate(session.chatUrl(id));

        assertThat(page.frameLocator("#frame-host iframe").getByTestId("loader")).hasText("loading");
        assertThat(page.locator("#frame-errors li .text")).hasText("v1 unhandled-rejection: data never came");
        page.context().close();
    }

    private static String sample(String name) {
        try (InputStream in = ReactRenderingTest.class.getClassLoader().getResourceAsStream("dev/vitrine/static/samples/" + name)) {
            if (in == null) {
                throw new IllegalStateException("sample " + name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
