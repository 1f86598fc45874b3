// Renders the application's SVG icon to PNG files of the given sizes: OUTDIR/<size>/attnx.png.
// Used at build time so the packaged PNG icons always match resources/icons/attnx.svg.
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <cstdio>

int main(int argc, char** argv) {
  QGuiApplication app(argc, argv);
  if (argc < 4) {
    std::fprintf(stderr, "usage: render_icons ICON.svg OUTDIR SIZE...\n");
    return 2;
  }
  QSvgRenderer svg(QString::fromLocal8Bit(argv[1]));
  if (!svg.isValid()) {
    std::fprintf(stderr, "render_icons: cannot read %s\n", argv[1]);
    return 1;
  }
  const QString outDir = QString::fromLocal8Bit(argv[2]);
  for (int i = 3; i < argc; ++i) {
    const int size = QString::fromLatin1(argv[i]).toInt();
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    svg.render(&painter);
    painter.end();
    const QString dir = outDir + "/" + QString::number(size);
    QDir().mkpath(dir);
    if (!image.save(dir + "/attnx.png")) {
      std::fprintf(stderr, "render_icons: cannot write %s/attnx.png\n", qPrintable(dir));
      return 1;
    }
  }
  return 0;
}
