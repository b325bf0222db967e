using System.Net;
using System.Text.RegularExpressions;
using Markdig;

namespace Road.Reporting;

/// <summary>
/// <c>report.html</c>: report.md as one self-contained page, for a browser or a phone. Markdig renders the Markdown
/// (pipe tables included); every plot is inlined as a PNG data URI, so the page needs nothing beside it and no
/// network; wide tables scroll sideways inside their own box instead of widening the page.
/// </summary>
public static partial class ReportPage
{
    public const string File = "report.html";

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UsePipeTables().Build();

    /// <param name="folder">where the report's relative image paths start</param>
    public static string Render(string markdown, string folder, string title)
    {
        string body = Markdig.Markdown.ToHtml(markdown, Markdown);
        body = Tables().Replace(body, match => $"<div class=\"table\">{match.Value}</div>");
        body = Images().Replace(body, match =>
        {
            string path = Path.Combine(folder, WebUtility.HtmlDecode(match.Groups["src"].Value));
            if (!System.IO.File.Exists(path)) throw new RoadException($"{path}: a plot the report embeds is missing.");
            return $"src=\"data:image/png;base64,{Convert.ToBase64String(System.IO.File.ReadAllBytes(path))}\"";
        });
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{WebUtility.HtmlEncode(title)}}</title>
            <style>
            body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 0; color: #1b1b1b; background: #fff; line-height: 1.45; }
            main { max-width: 960px; margin: 0 auto; padding: 16px; }
            h1 { font-size: 1.5rem; margin: 0.2em 0 0.6em; word-break: break-word; }
            h2 { font-size: 1.2rem; margin-top: 1.6em; }
            .table { overflow-x: auto; margin: 1em 0; }
            table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 0.92rem; }
            th, td { border: 1px solid #d0d0d0; padding: 4px 8px; text-align: left; white-space: nowrap; }
            th { background: #f3f3f3; }
            tr:nth-child(even) td { background: #fafafa; }
            img { max-width: 100%; height: auto; display: block; margin: 0.5em 0 1.5em; }
            code { font-size: 0.9em; word-break: break-all; }
            </style>
            </head>
            <body>
            <main>
            {{body}}
            </main>
            </body>
            </html>

            """;
    }

    [GeneratedRegex("<table>.*?</table>", RegexOptions.Singleline)]
    private static partial Regex Tables();

    [GeneratedRegex("src=\"(?<src>[^\"]+\\.png)\"")]
    private static partial Regex Images();
}
