"""Chinese documents for every label: the pipeline's OCR reads Chinese, so the classifier must too.

Short, conventional openings and closings of each genre (公函 letters, 年度报告, 检验报告单,
合同, 发票, 对账单...) with random companies, dates and figures.
"""

# Chinese text uses full-width punctuation on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

from fillers import Fill, table

ORGS = (
    "山东华信科技股份有限公司",
    "上海东方贸易有限公司",
    "北京中科软件有限公司",
    "深圳联创电子有限公司",
    "广州南方物流有限公司",
    "江苏恒达机械股份有限公司",
    "明德律师事务所",
    "福建海峡银行股份有限公司",
    "成都蓝天食品有限公司",
    "武汉长江建设集团有限公司",
)
REGULATORS = ("市财政局", "区人民政府办公室", "市教育局", "县交通运输局", "市场监督管理局")
TOPICS = (
    "合同履行情况",
    "延期付款事宜",
    "项目验收工作",
    "设备采购",
    "人员培训安排",
    "办公场所搬迁",
    "价格调整",
    "年度工作计划",
)


LETTER_POINTS = (
    "公司已按规定履行了相关程序。",
    "相关款项已于年底前结清。",
    "上述安排符合有关规定。",
)


def _date(f: Fill) -> str:
    return f"{f.number(2010, 2025)}年{f.number(1, 12)}月{f.number(1, 28)}日"


def _money(f: Fill) -> str:
    return f"{f.amount(100, 9_000_000):,.2f}"


def zh(label: str, f: Fill) -> str:
    org, other_org = f.pick(ORGS), f.pick(ORGS)
    if label == "letter":
        topic = f.pick(TOPICS)
        lines = [
            f"关于{org}{f.number(2012, 2024)}年{topic}的{f.pick(('说明', '复函', '函', '回复'))}",
            f"{f.pick(('函', '复函', '字'))}〔{f.number(2012, 2024)}〕{f.number(1, 500)}号",
            f"{f.pick(REGULATORS + ORGS)}：",
            f"贵{f.pick(('单位', '公司', '局'))}{_date(f)}来函收悉。"
            f"{f.pick(('经认真研究', '经研究', '经与有关部门协商'))}，现函复如下。",
            f"一、{f.pick(('关于', '问题：'))}{topic}。" + f.pick(LETTER_POINTS),
            f"二、{f.pick(('请贵方予以支持。', '如有疑问请与我方联系。', '特此说明。'))}",
            f.pick(("特此函复。", "此致", "特此函告。")),
            f.pick(("敬礼！", "")),
            org,
            _date(f),
        ]
    elif label == "report":
        kind = f.pick(("annual", "quarter", "lab"))
        if kind == "lab":
            lines = [
                f"{f.pick(('化验单', '体检报告', '水质检测报告'))}",
                f"编号：{f.ref()}",
                f"受检{f.pick(('人', '单位'))}：{f.pick(('张', '王', '李', '刘'))}某",
                f"日期：{_date(f)}",
            ]
            rows = [
                [
                    f.pick(("血糖", "肝功能", "总胆固醇", "pH值", "浊度", "余氯", "尿酸")),
                    f"{f.amount(0.1, 200):.2f}",
                    f.pick(("mmol/L", "mg/L", "NTU", "")),
                    f"{f.amount(0, 5):.1f}～{f.amount(5, 200):.1f}",
                ]
                for _ in range(f.number(3, 10))
            ]
            lines.append(table(f, ["检测项目", "检测值", "单位", "正常值"], rows))
            lines.append(f"报告日期：{_date(f)}  检验者：{f.pick(('陈', '周', '吴'))}某")
        else:
            title = f"{org}{f.number(2012, 2024)}年" + (
                "年度报告" if kind == "annual" else f"第{f.pick(('一', '二', '三'))}季度报告"
            )
            lines = [
                title,
                "目录",
                "第一章 经营概况",
                f"报告期内，公司实现销售收入{_money(f)}万元，同比增长{f.number(-30, 40)}%。",
                "第二章 主要工作",
                f"完成重点项目{f.number(2, 30)}个，新增客户{f.number(10, 900)}家。",
                "第三章 存在的问题及下一步安排",
            ]
    elif label == "contract":
        lines = [
            f.pick(("采购合同", "技术服务合同", "房屋租赁合同", "保密协议", "劳动合同")),
            f"合同编号：{f.ref()}",
            f"甲方：{org}",
            f"乙方：{other_org}",
            "根据《中华人民共和国民法典》及相关法律法规，甲乙双方经友好协商，达成如下协议：",
            "第一条 合同标的",
            f"第二条 合同金额为人民币{_money(f)}元。",
            f"第三条 合同期限自{_date(f)}起至{_date(f)}止。",
            "第四条 违约责任",
            "第五条 争议解决：因本合同引起的争议，双方应协商解决；"
            "协商不成的，提交甲方所在地人民法院诉讼解决。",
            "本合同一式两份，甲乙双方各执一份，自双方签字盖章之日起生效。",
            "甲方（盖章）：",
            "乙方（盖章）：",
            f"签订日期：{_date(f)}",
        ]
    elif label == "invoice":
        lines = [
            f.pick(("增值税专用发票", "增值税普通发票", "电子发票（普通发票）")),
            f"发票代码：{f.number(10**11, 10**12 - 1)}",
            f"发票号码：{f.number(10**7, 10**8 - 1)}",
            f"开票日期：{_date(f)}",
            f"购买方 名称：{org}",
            f"销售方 名称：{other_org}",
            f"纳税人识别号：91{f.number(10**15, 10**16 - 1)}",
        ]
        rows = [
            [
                f.pick(("技术服务费", "办公用品", "运输服务", "咨询费")),
                str(f.number(1, 50)),
                _money(f),
                "13%",
                _money(f),
            ]
            for _ in range(f.number(1, 4))
        ]
        lines += [
            table(f, ["货物或应税劳务名称", "数量", "金额", "税率", "税额"], rows),
            f"价税合计（大写）：{f.pick(('壹万贰仟元整', '叁仟伍佰元整'))}",
            f"（小写）¥{_money(f)}",
            "收款人：",
            "复核：",
            "开票人：",
        ]
    elif label == "receipt":
        lines = [
            f.pick(("购物小票", "收款收据", "销售单")),
            f.pick(ORGS).replace("有限公司", "超市"),
            f"单号：{f.ref()}",
            f"日期：{f.number(2015, 2025)}-{f.number(1, 12):02d}-{f.number(1, 28):02d} {f.time()}",
            f"收银员：{f.number(1, 99):03d}",
        ]
        rows = [
            [
                f.pick(("矿泉水", "面包", "牛奶", "大米5kg", "洗衣液", "苹果")),
                str(f.number(1, 5)),
                f"{f.amount(1, 80):.2f}",
            ]
            for _ in range(f.number(2, 8))
        ]
        lines += [
            table(f, ["商品", "数量", "金额"], rows),
            f"合计：{f.amount(10, 500):.2f}",
            f"实收：{f.amount(10, 500):.2f}",
            f"找零：{f.amount(0, 50):.2f}",
            "谢谢惠顾，欢迎再次光临！",
        ]
    elif label == "form":
        lines = [
            f.pick(("入职登记表", "申请表", "报名表", "变更登记申请表")),
            "请用黑色钢笔或签字笔填写，字迹清楚。",
        ]
        lines += [
            f"{name}：____________"
            for name in f.sample(
                (
                    "姓名",
                    "性别",
                    "出生日期",
                    "身份证号码",
                    "联系电话",
                    "通讯地址",
                    "工作单位",
                    "申请事项",
                    "学历",
                ),
                4,
                9,
            )
        ]
        lines += [
            "□ 是 □ 否",
            "申请人签字：__________  日期：____年__月__日",
            "（以下由工作人员填写）",
        ]
    elif label == "statement":
        lines = [
            f.pick(("中信银行", "招商银行", "工商银行"))
            + f.pick(("账户对账单", "信用卡对账单", "交易明细")),
            f"账号：****{f.number(1000, 9999)}",
            f"账单周期：{_date(f)}至{_date(f)}",
            f"期初余额：{_money(f)}",
        ]
        rows = [
            [
                f"{f.number(2018, 2025)}-{f.number(1, 12):02d}-{f.number(1, 28):02d}",
                f.pick(("转账", "消费", "工资", "利息", "取现")),
                f"{f.amount(1, 9000):.2f}",
                _money(f),
            ]
            for _ in range(f.number(3, 10))
        ]
        lines += [table(f, ["交易日期", "摘要", "金额", "余额"], rows), f"期末余额：{_money(f)}"]
    elif label == "scientific_paper":
        lines = [
            f"基于{f.pick(('深度学习', '图神经网络', '随机森林'))}的"
            f"{f.pick(('图像分割', '故障诊断', '文本分类'))}方法研究",
            f"{f.pick(('张', '王', '李'))}伟1，{f.pick(('陈', '刘'))}静2",
            "（1. 某某大学 计算机学院）",
            "摘要：本文提出了一种新的方法，实验结果表明，该方法在多个数据集上优于现有方法。",
            "关键词：深度学习；特征提取；分类",
            "中图分类号：TP391",
            "1 引言",
            "近年来，相关研究取得了显著进展[1]。",
            "参考文献",
            "[1] 王某, 李某. 某某研究[J]. 计算机学报, 2019, 42(3): 1-10.",
        ]
    elif label == "presentation":
        lines = [
            "2024年度工作汇报",
            "汇报人：张某",
            "\f目录",
            "一、工作回顾",
            "二、存在问题",
            "三、下一步计划",
            "\f工作回顾",
            "• 完成项目12个",
            "• 客户满意度提升",
            "\f谢谢！",
        ]
    else:
        lines = [
            f.pick(("长江", "围棋", "光合作用", "丝绸之路")),
            "来自维基百科，自由的百科全书",
            "是中国历史上重要的组成部分，对后世产生了深远影响。其名称来源于古代文献。",
            "现代研究表明，它在日常生活中扮演着重要角色。",
        ]
    return "\n".join(lines)
