package dev.vitrine.sanitizer;

import java.util.Map;
import java.util.Set;

/**
 * The static-drawing subset of SVG 1.1 and SVG 2 that {@link SvgSanitizer} keeps, as an
 * immutable allow-list. Names are case-sensitive, as in XML: {@code FOREIGNOBJECT} is not on the
 * list even though an HTML parser would turn it into {@code foreignObject} once inlined.
 *
 * @param elements            elements kept; any other element is removed with its content
 * @param attributes          attributes kept on any allowed element; any other is removed
 * @param textOnlyElements    elements whose content must be plain text, because an HTML parser
 *                            reads {@code <title>} and {@code <desc>} content as HTML, and
 *                            {@code <style>} content is CSS
 * @param animationElements   elements removed when they animate a link or an event handler
 * @param dataImageElements   elements whose {@code href} may be a raster {@code data:} image
 * @param dataImageTypes      the raster image types allowed in such a {@code data:} URL
 * @param elementReasons      why a specific element is removed, when "not on the allow-list"
 *                            would undersell it
 */
record SvgRules(
        Set<String> elements,
        Set<String> attributes,
        Set<String> textOnlyElements,
        Set<String> animationElements,
        Set<String> dataImageElements,
        Set<String> dataImageTypes,
        Map<String, String> elementReasons) {

    SvgRules {
        elements = Set.copyOf(elements);
        attributes = Set.copyOf(attributes);
        textOnlyElements = Set.copyOf(textOnlyElements);
        animationElements = Set.copyOf(animationElements);
        dataImageElements = Set.copyOf(dataImageElements);
        dataImageTypes = Set.copyOf(dataImageTypes);
        elementReasons = Map.copyOf(elementReasons);
        requireAllowed(textOnlyElements, elements, "textOnlyElements");
        requireAllowed(animationElements, elements, "animationElements");
        requireAllowed(dataImageElements, elements, "dataImageElements");
    }

    private static void requireAllowed(Set<String> subset, Set<String> elements, String name) {
        for (String element : subset) {
            if (!elements.contains(element)) {
                throw new IllegalArgumentException("SvgRules." + name + " names <" + element
                        + ">, which is not in SvgRules.elements; a rule for a removed element would never apply");
            }
        }
    }

    /** The rules every SVG artifact gets. */
    static SvgRules standard() {
        return STANDARD;
    }

    private static final SvgRules STANDARD = new SvgRules(
            Set.of(
                    // structure
                    "svg", "g", "defs", "symbol", "use", "switch", "title", "desc", "style", "a",
                    // shapes and text
                    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
                    "text", "tspan", "textPath", "image",
                    // paint servers, clipping, masking, markers
                    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
                    // filters
                    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
                    "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight",
                    "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur",
                    "feImage", "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight",
                    "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
                    // declarative animation (set is left out: it can write any attribute)
                    "animate", "animateTransform", "animateMotion", "mpath"),
            Set.of(
                    // core, namespaces, accessibility
                    "id", "class", "style", "lang", "xml:lang", "xml:space", "tabindex",
                    "xmlns", "xmlns:xlink", "version", "baseProfile",
                    "role", "aria-label", "aria-labelledby", "aria-describedby", "aria-hidden",
                    "systemLanguage", "requiredFeatures",
                    // links to fragments (values are checked separately)
                    "href", "xlink:href",
                    // geometry
                    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr",
                    "width", "height", "d", "points", "pathLength", "viewBox", "preserveAspectRatio",
                    "transform", "transform-origin",
                    // text
                    "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing", "side",
                    // presentation attributes
                    "alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color",
                    "color-interpolation", "color-interpolation-filters", "color-rendering", "cursor",
                    "direction", "display", "dominant-baseline", "fill", "fill-opacity", "fill-rule", "filter",
                    "flood-color", "flood-opacity", "font", "font-family", "font-size", "font-size-adjust",
                    "font-stretch", "font-style", "font-variant", "font-weight", "image-rendering",
                    "letter-spacing", "lighting-color", "marker", "marker-start", "marker-mid", "marker-end",
                    "mask", "mask-type", "opacity", "overflow", "paint-order", "pointer-events",
                    "shape-rendering", "stop-color", "stop-opacity", "stroke", "stroke-dasharray",
                    "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
                    "stroke-opacity", "stroke-width", "text-anchor", "text-decoration", "text-rendering",
                    "unicode-bidi", "vector-effect", "visibility", "word-spacing", "writing-mode",
                    // paint servers, clipping, masking, markers
                    "gradientUnits", "gradientTransform", "spreadMethod", "offset",
                    "patternUnits", "patternContentUnits", "patternTransform",
                    "clipPathUnits", "maskUnits", "maskContentUnits",
                    "markerUnits", "markerWidth", "markerHeight", "refX", "refY", "orient",
                    // filters
                    "filterUnits", "primitiveUnits", "in", "in2", "result", "stdDeviation", "edgeMode",
                    "operator", "k1", "k2", "k3", "k4", "mode", "type", "values", "tableValues", "slope",
                    "intercept", "amplitude", "exponent", "kernelMatrix", "order", "divisor", "bias",
                    "targetX", "targetY", "kernelUnitLength", "preserveAlpha", "surfaceScale",
                    "diffuseConstant", "specularConstant", "specularExponent", "azimuth", "elevation", "z",
                    "pointsAtX", "pointsAtY", "pointsAtZ", "limitingConeAngle", "scale",
                    "xChannelSelector", "yChannelSelector", "radius", "baseFrequency", "numOctaves", "seed",
                    "stitchTiles",
                    // <style>
                    "media",
                    // animation timing and values
                    "attributeName", "attributeType", "begin", "dur", "end", "min", "max", "restart",
                    "repeatCount", "repeatDur", "calcMode", "keyTimes", "keySplines", "keyPoints",
                    "from", "to", "by", "additive", "accumulate", "path", "origin"),
            Set.of("title", "desc", "style"),
            Set.of("animate", "animateTransform", "animateMotion"),
            Set.of("image"),
            Set.of("image/png", "image/jpeg", "image/gif", "image/webp"),
            Map.of(
                    "script", "runs script",
                    "foreignObject", "embeds HTML, a second parser and a script context inside the drawing",
                    "set", "can write any attribute at run time, including links and event handlers",
                    "iframe", "embeds another document",
                    "handler", "runs script (SVG Tiny event handler)",
                    "discard", "removes other elements at run time"));
}
